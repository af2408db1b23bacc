"""`friendlygov create-token --user USER` (used by the CI fuzz run) prints a working API token once."""

from __future__ import annotations

from typing import Any

from friendlygov.cli import main
from friendlygov.org.models import ApiToken


def test_create_token_prints_a_token_that_authenticates(world: Any, capsys: Any, client: Any) -> None:
    assert main(["create-token", "--user", "coordinator", "--name", "tích hợp"]) == 0
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("fg_")
    token = ApiToken.objects.get(user=world.coordinator)
    assert token.token_hash == ApiToken.hash(raw) and raw not in token.token_hash
    assert token.name == "tích hợp"
    client.logout()
    response = client.get("/api/org/units/thanh-mien", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert client.get("/api/org/units/gia-loc", headers={"Authorization": f"Bearer {raw}"}).status_code == 404


def test_create_token_refuses_unknown_or_inactive_accounts(world: Any, capsys: Any) -> None:
    assert main(["create-token", "--user", "khong-co-ai"]) == 2
    assert "Không có tài khoản «khong-co-ai» (tham số --user)." in capsys.readouterr().err
    world.member.is_active = False
    world.member.save()
    assert main(["create-token", "--user", "member"]) == 2
    assert "đã bị khóa" in capsys.readouterr().err
    assert not ApiToken.objects.exists()
