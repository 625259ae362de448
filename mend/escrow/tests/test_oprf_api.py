"""POST /api/v1/escrow/evaluate and GET /api/v1/escrow/oprf-key."""

from __future__ import annotations

from django.test import Client, override_settings

from mend.crypto import canonical, oprf
from mend.escrow import keys, testing
from mend.escrow.schemas import MAX_TAGS
from mend.escrow.tests.base import EscrowTestCase
from mend.lib import ratelimit
from mend.lib.wire import b64
from mend.test import login_with_otp

URL = f"{testing.API}/evaluate"


def blinded_body(count: int = 1) -> dict[str, list[str]]:
    data = canonical.oprf_input("email:someone@example.org")
    return {"blinded": [b64(oprf.blind(data, oprf.Mode.VOPRF).blinded_element)] * count}


class EvaluateTests(EscrowTestCase):
    def test_it_evaluates_with_a_proof_against_the_published_key(self) -> None:
        browser = self.browser_for(self.alice)
        browser.load_config()
        outputs = browser.evaluate(["email:someone@example.org", "phone:+14155550134"])
        self.assertEqual([len(o) for o in outputs], [64, 64])
        published = self.client.get(f"{testing.API}/oprf-key").json()
        self.assertEqual(published["public_key"], b64(keys.oprf_public_key()))
        self.assertEqual(published["public_key"], browser.config["oprf_public_key"])

    def test_it_gives_the_same_output_for_the_same_identifier(self) -> None:
        alice, bob = self.browser_for(self.alice), self.browser_for(self.bob)
        alice.load_config()
        bob.load_config()
        self.assertEqual(
            alice.evaluate(["email:x@example.org"]), bob.evaluate(["email:x@example.org"])
        )

    def test_it_refuses_an_unverified_survivor(self) -> None:
        browser = self.browser_for(self.mallory, verified=False)
        response = testing.post_json(browser.client, URL, blinded_body())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "not_verified")

    def test_it_gives_404_to_staff_of_every_role(self) -> None:
        for user in (self.carol, self.erin, self.frank, self.adam):
            client = Client()
            login_with_otp(client, user)
            response = testing.post_json(client, URL, blinded_body())
            self.assertEqual(response.status_code, 404, user.username)

    def test_it_gives_404_to_a_staff_member_even_with_an_escrow_account(self) -> None:
        testing.verify(self.carol)
        client = self.counselor_client()
        self.assertEqual(testing.post_json(client, URL, blinded_body()).status_code, 404)

    def test_it_asks_a_signed_out_visitor_to_sign_in_again(self) -> None:
        response = testing.post_json(Client(), URL, blinded_body())
        self.assertEqual((response.status_code, response.json()["code"]), (401, "signed_out"))

    def test_it_refuses_a_malformed_element(self) -> None:
        browser = self.browser_for(self.alice)
        response = testing.post_json(browser.client, URL, {"blinded": [b64(bytes(32))]})
        self.assertEqual(response.status_code, 400)
        response = testing.post_json(browser.client, URL, {"blinded": ["not base64!"]})
        self.assertEqual(response.status_code, 422)

    def test_it_refuses_too_many_elements_at_once(self) -> None:
        browser = self.browser_for(self.alice)
        enough = blinded_body(MAX_TAGS)  # five identifiers, each in two forms at most
        self.assertEqual(testing.post_json(browser.client, URL, enough).status_code, 200)
        too_many = blinded_body(MAX_TAGS + 1)
        self.assertEqual(testing.post_json(browser.client, URL, too_many).status_code, 422)

    @override_settings(RATE_LIMIT_ESCROW_OPRF_ACCOUNT=(3, 3600))
    def test_it_limits_evaluations_per_account(self) -> None:
        alice = self.browser_for(self.alice)
        self.assertEqual(testing.post_json(alice.client, URL, blinded_body(3)).status_code, 200)
        response = testing.post_json(alice.client, URL, blinded_body())
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        # bob has his own allowance
        bob = self.browser_for(self.bob)
        self.assertEqual(testing.post_json(bob.client, URL, blinded_body()).status_code, 200)

    @override_settings(RATE_LIMIT_ESCROW_OPRF_GLOBAL=(4, 3600))
    def test_it_limits_evaluations_for_the_whole_site(self) -> None:
        alice, bob = self.browser_for(self.alice), self.browser_for(self.bob)
        self.assertEqual(testing.post_json(alice.client, URL, blinded_body(2)).status_code, 200)
        self.assertEqual(testing.post_json(bob.client, URL, blinded_body(2)).status_code, 200)
        self.assertEqual(testing.post_json(bob.client, URL, blinded_body()).status_code, 429)
        self.assertEqual(testing.post_json(alice.client, URL, blinded_body()).status_code, 429)

    @override_settings(RATE_LIMIT_ESCROW_OPRF_ACCOUNT=(2, 60))
    def test_it_allows_evaluations_again_in_the_next_window(self) -> None:
        alice = self.browser_for(self.alice)
        start = 1_800_000_000.0
        clock = [start]
        original = ratelimit.now
        ratelimit.now = lambda: clock[0]
        try:
            self.assertEqual(testing.post_json(alice.client, URL, blinded_body(2)).status_code, 200)
            self.assertEqual(testing.post_json(alice.client, URL, blinded_body()).status_code, 429)
            clock[0] = start + 61
            self.assertEqual(testing.post_json(alice.client, URL, blinded_body()).status_code, 200)
        finally:
            ratelimit.now = original

    def test_it_checks_the_csrf_token(self) -> None:
        testing.verify(self.alice)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(testing.post_json(client, URL, blinded_body()).status_code, 403)

    def test_the_public_key_is_public(self) -> None:
        response = Client().get(f"{testing.API}/oprf-key")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["suite"], "ristretto255-SHA512")
