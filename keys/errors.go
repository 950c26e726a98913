package keys

import (
	"errors"
	"fmt"
)

var (
	// ErrIncorrectPassword means the key derived from a password does not
	// open what it should: the masterKey box of an account (the way Ente's
	// clients tell a wrong password), or an Ente Auth export.
	ErrIncorrectPassword = errors.New("keys: incorrect password")

	// ErrInvalidRecoveryKey means recovery key text is neither a valid
	// 24-word BIP-39 English phrase nor 64 hexadecimal characters, or that a
	// recovery key does not belong to the account (see
	// ErrIncorrectRecoveryKey, which wraps it).
	ErrInvalidRecoveryKey = errors.New("keys: invalid recovery key")

	// ErrIncorrectRecoveryKey means a well-formed recovery key does not open
	// the account's masterKeyEncryptedWithRecoveryKey. It wraps
	// ErrInvalidRecoveryKey, so a caller that only asks "is this recovery
	// key good?" can test for that one alone.
	ErrIncorrectRecoveryKey = fmt.Errorf("%w: it does not open this account's master key", ErrInvalidRecoveryKey)

	// ErrNoRecoveryKey means the account's attributes carry no recovery
	// fields (very old accounts).
	ErrNoRecoveryKey = errors.New("keys: the account has no recovery key")

	// ErrInvalidAttributes means key attributes are malformed: bad base64,
	// a wrong length, a missing required field, parameters below Argon2id's
	// minimum, or wrapped keys that do not fit together.
	ErrInvalidAttributes = errors.New("keys: invalid key attributes")

	// ErrInvalidEnvelope means a wrapped key, auth token, authKey envelope,
	// Auth entity or vault token is malformed, or opened to something of
	// the wrong shape.
	ErrInvalidEnvelope = errors.New("keys: invalid envelope")

	// ErrInvalidExport means an Ente Auth export file is malformed.
	ErrInvalidExport = errors.New("keys: invalid Ente Auth export")

	// ErrUnsupportedVersion means an Ente Auth export carries a version
	// other than 1.
	ErrUnsupportedVersion = errors.New("keys: unsupported export version")

	// ErrInvalidURI means an otpauth URI cannot be written: it is empty or
	// holds a line break, which would split it in an export.
	ErrInvalidURI = errors.New("keys: invalid otpauth URI")

	// ErrNilKey means a function was given a nil key (KEK, master key,
	// recovery key, auth key, collection or file key) or nil Secrets: a
	// caller's bug, reported instead of a panic.
	ErrNilKey = errors.New("keys: nil key")
)
