package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"first try: keys: invalid recovery key: word 1",
		"unlocked with the recovery phrase",
		"PUT /users/keys: encryptedKey, kekSalt, keyDecryptionNonce, memLimit, opsLimit\n",
		"the new password unlocks",
		"the old password: keys: incorrect password",
		"PUT /users/recovery-key: masterKeyDecryptionNonce, masterKeyEncryptedWithRecoveryKey, recoveryKeyDecryptionNonce, recoveryKeyEncryptedWithMasterKey\n",
		"the old recovery key: keys: invalid recovery key",
		"the new recovery key unlocks",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
