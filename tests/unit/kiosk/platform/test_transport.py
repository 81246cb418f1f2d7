"""The terminal sends its bearer token and residents' declarations only over HTTPS, or plain HTTP to this
machine (the reference platform, tests), or with the lab override, which is logged at every start.
TLS verification stays on, with the configured CA file."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Config, PlatformConfig, config_from_mapping
from kiosk.platform.client import InsecureTransport, PlatformClient
from kiosk.runtime import KioskRuntime, SetupError, make_client
from kiosk.status import NetworkState

TOKEN = "tok-0123456789abcdef"
NONE = {"backend": "none"}


def _token(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "platform.token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    path.chmod(0o600)


@pytest.mark.parametrize("url", ["http://203.0.113.5:8080", "http://platform.example.gov.cn/",
                                 "http://[2001:db8::1]:8080", "HTTP://10.0.0.5"])
def test_the_client_refuses_plain_http_to_another_host(url: str) -> None:
    with pytest.raises(InsecureTransport, match="over plain http"):
        PlatformClient(url, "T0001", TOKEN)


@pytest.mark.parametrize("url", ["https://203.0.113.5:8443", "http://127.0.0.1:8080", "http://[::1]:1",
                                 "http://localhost:8080"])
def test_the_client_takes_https_and_loopback(url: str) -> None:
    PlatformClient(url, "T0001", TOKEN).close()


def test_the_lab_override_lets_the_client_use_plain_http() -> None:
    client = PlatformClient("http://203.0.113.5:8080", "T0001", TOKEN, allow_insecure_http=True)
    client.close()
    assert client.base_url == "http://203.0.113.5:8080"


@pytest.mark.parametrize("timeout", [(math.nan, 5.0), (5.0, math.inf), (0.0, 5.0)])
def test_the_client_refuses_timeouts_it_could_not_keep(timeout: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="timeout"):
        PlatformClient("https://p.example", "T0001", TOKEN, timeout=timeout)


def test_tls_verification_uses_the_ca_file_under_the_data_dir(tmp_path: Path) -> None:
    _token(tmp_path)
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = config_from_mapping({"platform": {"url": "https://p.example", "token_file": "platform.token",
                                               "ca_file": "ca.pem"}})
    client = make_client(config, tmp_path)
    assert client is not None
    client.close()
    assert client._verify == str(tmp_path / "ca.pem")
    plain = make_client(dataclasses.replace(config, platform=dataclasses.replace(config.platform, ca_file="")),
                        tmp_path)
    assert plain is not None
    plain.close()
    assert plain._verify is True


def test_a_missing_ca_file_stops_the_client(tmp_path: Path) -> None:
    _token(tmp_path)
    config = Config(platform=PlatformConfig(url="https://p.example", token_file="platform.token", ca_file="gone.pem"))
    with pytest.raises(SetupError, match=r"platform\.ca_file .*gone\.pem does not exist"):
        make_client(config, tmp_path)


def test_the_engine_never_gets_a_client_for_plain_http(tmp_path: Path, expected_logs: Any) -> None:
    # A Config built in code skips the loader; the client factory is the last guard and says why.
    expected_logs("kiosk.runtime", "platform not used: refusing to send the token")
    _token(tmp_path)
    config = Config(platform=PlatformConfig(url="http://203.0.113.5:8080", token_file="platform.token"))
    with pytest.raises(SetupError, match=r"platform\.url: refusing to send the token and declarations to 203"):
        make_client(config, tmp_path)


def test_the_override_is_logged_as_a_warning_each_time_a_client_is_built(
    tmp_path: Path, expected_logs: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    expected_logs("kiosk.runtime", "allow_insecure_http = true")
    _token(tmp_path)
    config = config_from_mapping({"platform": {"url": "http://203.0.113.5:8080", "token_file": "platform.token",
                                               "allow_insecure_http": True}})
    for _ in range(2):
        client = make_client(config, tmp_path)
        assert client is not None
        client.close()
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "allow_insecure_http" in r.getMessage()]
    assert len(warnings) == 2
    assert "unencrypted" in warnings[0].getMessage()


def test_a_running_kiosk_refuses_plain_http_and_keeps_working_offline(tmp_path: Path, expected_logs: Any) -> None:
    expected_logs("kiosk.runtime", "platform not used")
    config = config_from_mapping({"devices": {"idcard": NONE, "citizencard": NONE, "printer": NONE, "camera": NONE,
                                              "scanner": NONE}})
    runtime = KioskRuntime(config, tmp_path)
    try:
        _token(tmp_path)
        insecure = dataclasses.replace(config, platform=PlatformConfig(url="http://203.0.113.5:8080",
                                                                       token_file="platform.token"))
        with pytest.raises(SetupError, match="plain http"):
            runtime.apply_config(insecure)
        assert runtime.config.platform.url == ""
        assert runtime.sync.status().network is NetworkState.DISABLED
    finally:
        runtime.close()
