package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		"first try: keys: invalid recovery key: word 1",
		"unlocked with the recovery phrase",
		"PUT /users/keys: encryptedKey, kekSalt, keyDecryptionNonce, memLimit, opsLimit\n",
		"the new password unlocks",
		"the old password: keys: incorrect password",
		"PUT /users/recovery-key: masterKeyDecryptionNonce, masterKeyEncryptedWithRecoveryKey, recoveryKeyDecryptionNonce, recoveryKeyEncryptedWithMasterKey\n",
		"the old recovery key: keys: invalid recovery key",
		"the new recovery key unlocks",
	)
}
