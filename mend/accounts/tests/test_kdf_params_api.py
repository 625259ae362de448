from __future__ import annotations

from mend.accounts.tests.base import AccountTestCase
from mend.crypto import kdf


class KdfParamsTests(AccountTestCase):
    def params(self, username: str) -> dict[str, object]:
        r = self.post("kdf-params", {"username": username})
        self.assertEqual(r.status_code, 200)
        data: dict[str, object] = self.json(r)["params"]
        return data

    def test_it_gives_a_survivor_her_own_parameters(self) -> None:
        sam = self.sign_up("sam")
        self.assertEqual(kdf.Argon2Params.from_dict(self.params("sam")), sam.params)
        self.assertEqual(self.params("  SAM "), self.params("sam"))

    def test_it_gives_an_unknown_username_stable_decoys_of_the_same_shape(self) -> None:
        decoy = self.params("nobody-here")
        self.assertEqual(decoy, self.params("nobody-here"))
        self.assertNotEqual(decoy, self.params("nobody-else"))
        parsed = kdf.Argon2Params.from_dict(decoy)  # the same strict shape as a real record
        self.assertFalse(kdf.needs_upgrade(parsed))
        real = self.params(self.sign_up("sam").username)
        self.assertEqual(set(decoy), set(real))
        self.assertEqual(
            (decoy["opslimit"], decoy["memlimit"]), (real["opslimit"], real["memlimit"])
        )

    def test_it_gives_staff_accounts_decoys_too(self) -> None:
        carol = self.params("carol")
        self.assertEqual(carol, self.params("carol"))
        self.assertNotEqual(carol, self.params("adam"))

    def test_it_gives_a_survivor_without_a_vault_decoys(self) -> None:
        # alice (a persona) has no key ring: she is treated as unknown, never as an error.
        self.assertEqual(self.params("alice"), self.params("alice"))
