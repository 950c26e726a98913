module github.com/e2eekit/e2ee

go 1.26.0

require (
	github.com/ente-io/go-srp v0.0.0-20250116115009-d52061067e78
	github.com/jamesruan/sodium v1.0.14
	github.com/mr-tron/base58 v1.3.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.2
	golang.org/x/crypto v0.58.0
	golang.org/x/sys v0.49.0
	golang.org/x/term v0.47.0
)

require (
	github.com/minio/blake2b-simd v0.0.0-20160723061019-3f5f724cb5b1 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/text v0.43.0 // indirect
)
