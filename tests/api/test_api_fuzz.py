"""schemathesis against the served ``/api/v1/openapi.json`` of the real app, as anonymous and
as staff (bearer token), each on a fresh seeded database, with a fixed seed and bounded examples.

Every check schemathesis has must pass: no 5xx, every answer within the declared schema, every
status declared, the declared content type and headers, schema-violating input refused, a 405
with ``Allow`` for undeclared methods, security enforced. One check is left out:
``positive_data_acceptance`` expects every schema-valid body to succeed, but the domain rightly
refuses valid-looking input with a 400 naming the field (a need placed on an area instead of a
community, a guessable password, a wrong one-time code, ids of needs that do not exist).

SQLite only by default (about a minute per role); ``CONTRACT_FUZZ_ALL_DATABASES=1`` adds
PostgreSQL and ``CONTRACT_FUZZ_EXAMPLES=N`` raises the examples per operation (default 10).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.api.contract_server import served_app

SEED = 20261203
MAX_EXAMPLES = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "10"))
CHECKS_LEFT_OUT = ["positive_data_acceptance"]


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_schemathesis_finds_nothing(role, database_kind, database_url_factory, tmp_path):
    if database_kind != "sqlite" and os.environ.get("CONTRACT_FUZZ_ALL_DATABASES") != "1":
        pytest.skip("the fuzz run is on SQLite; CONTRACT_FUZZ_ALL_DATABASES=1 adds PostgreSQL")
    with served_app(database_url_factory(database_kind)) as served:
        command = [str(Path(sys.executable).with_name("st")), "run",
                   served.base_url + "/api/v1/openapi.json",
                   "--checks", "all", "--exclude-checks", ",".join(CHECKS_LEFT_OUT),
                   "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES),
                   "--generation-database", "none", "--workers", "1", "--request-timeout", "30",
                   "--no-color"]
        if role == "staff":
            answer = requests.post(served.base_url + "/api/v1/auth/token", timeout=10,
                                   json={"username": "staff", "password": "Ribbon-2026"})
            assert answer.status_code == 200, answer.text
            command += ["-H", f"Authorization: Bearer {answer.json()['token']}",
                        # revoking its own token would leave the rest of the run anonymous
                        "--exclude-operation-id", "revoke_current_token"]
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=420,
                                cwd=tmp_path)  # its cache folder stays out of the checkout
        output = result.stdout + result.stderr
        tested = re.search(r"Tested: (\d+)", output)
        operations = int(tested.group(1)) if tested else 0
        cases = re.search(r"(\d+) generated", output)
        print(f"schemathesis as {role} on {database_kind}: {operations} operations tested, "
              f"{cases.group(1) if cases else '?'} test cases, {served.requests} requests made, "
              f"{served.server_errors} × 5xx, "
              f"statuses {dict(sorted(served.statuses.items()))}, exit code {result.returncode}")
        print(output[-6000:])
        assert served.server_errors == 0, output[-20000:]
        assert result.returncode == 0, output[-20000:]
        assert operations >= (41 if role == "staff" else 42)
        assert served.requests > 1000

