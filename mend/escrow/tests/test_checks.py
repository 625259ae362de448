"""Production refuses to start with the development escrow secrets or t < 2 (mend.checks)."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from mend.checks import check_escrow_settings
from mend.escrow.keys import secret_problems
from mend.test import production_environment

REAL = "a3" * 32
OPERATOR = "c5" * 32


class EscrowCheckTests(SimpleTestCase):
    @override_settings(
        PRODUCTION=True,
        ESCROW_OPRF_SEED=REAL,
        ESCROW_SERVER_KEY="b4" * 32,
        ESCROW_OPERATOR_PUBLIC_KEY=OPERATOR,
    )
    def test_it_accepts_real_secrets_in_production(self) -> None:
        self.assertEqual(check_escrow_settings(None), [])

    @override_settings(PRODUCTION=True, ESCROW_SERVER_KEY=REAL, ESCROW_OPERATOR_PUBLIC_KEY=OPERATOR)
    def test_it_refuses_the_development_seed_in_production(self) -> None:
        errors = check_escrow_settings(None)
        self.assertEqual([e.id for e in errors], ["mend.E050"])
        self.assertIn("ESCROW_OPRF_SEED must not be the development value", errors[0].msg)

    @override_settings(
        PRODUCTION=True,
        ESCROW_OPRF_SEED="too short",
        ESCROW_SERVER_KEY=REAL,
        ESCROW_OPERATOR_PUBLIC_KEY=OPERATOR,
    )
    def test_it_refuses_a_malformed_seed(self) -> None:
        self.assertEqual(
            secret_problems(production=True),
            ["ESCROW_OPRF_SEED must be 64 hexadecimal characters."],
        )

    @override_settings(
        PRODUCTION=True,
        ESCROW_OPRF_SEED=REAL,
        ESCROW_SERVER_KEY=REAL,
        ESCROW_OPERATOR_PUBLIC_KEY="",
    )
    def test_it_refuses_production_without_an_operator_key(self) -> None:
        self.assertEqual(
            secret_problems(production=True),
            [
                "ESCROW_OPERATOR_PUBLIC_KEY must be 64 hexadecimal characters: "
                "no counselor key could ever be endorsed."
            ],
        )

    @override_settings(PRODUCTION=True, ESCROW_OPRF_SEED=REAL, ESCROW_SERVER_KEY=REAL)
    def test_it_refuses_the_development_operator_key_in_production(self) -> None:
        self.assertEqual(
            secret_problems(production=True),
            ["ESCROW_OPERATOR_PUBLIC_KEY must not be the development key in production."],
        )

    @override_settings(ESCROW_THRESHOLD=1)
    def test_it_refuses_a_threshold_below_two(self) -> None:
        self.assertEqual([e.id for e in check_escrow_settings(None)], ["mend.E051"])

    def test_development_values_are_fine_outside_production(self) -> None:
        self.assertEqual(check_escrow_settings(None), [])


class ProductionStartTests(SimpleTestCase):
    """A real production start-up, in a subprocess, as tests/test_settings does."""

    def production_env(self, **extra: str) -> dict[str, str]:
        env = production_environment(**extra)
        for name in ("ESCROW_OPRF_SEED", "ESCROW_SERVER_KEY"):
            if f"{name}_FILE" in extra or extra.get(name) == "":
                env.pop(name)
        return env

    def run_check(self, env: dict[str, str]) -> tuple[int, str]:
        import os
        import subprocess
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parents[3]
        base = {k: v for k, v in os.environ.items() if not k.startswith(("ESCROW_", "MEND_"))}
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
            cwd=root,
            env={**base, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        return result.returncode, result.stderr

    def test_it_refuses_to_start_without_the_oprf_seed(self) -> None:
        code, stderr = self.run_check(self.production_env(ESCROW_OPRF_SEED=""))
        self.assertNotEqual(code, 0)
        self.assertIn(
            "ESCROW_OPRF_SEED (or ESCROW_OPRF_SEED_FILE) must be set in production", stderr
        )

    def test_it_reads_the_seed_from_a_file(self) -> None:
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".key") as handle:
            handle.write("d6" * 32 + "\n")
            handle.flush()
            env = self.production_env(ESCROW_OPRF_SEED_FILE=handle.name)
            code, stderr = self.run_check(env)
        self.assertEqual(code, 0, stderr)
