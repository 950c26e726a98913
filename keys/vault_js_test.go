package keys

import "testing"

// Ente Auth's clients encode the URI with JSON.stringify / jsonEncode,
// which leave '&' as is; Go's json.Marshal would write \u0026.
func TestMarshalLikeJS(t *testing.T) {
	got, err := marshalLikeJS("otpauth://totp/A%20B:c?secret=JBSWY3DP&issuer=A<B>")
	if err != nil {
		t.Fatal(err)
	}
	if want := `"otpauth://totp/A%20B:c?secret=JBSWY3DP&issuer=A<B>"`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
