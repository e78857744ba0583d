"""Finding CCMCertFix.exe (every place looked is reported) and reading the machine state."""

from __future__ import annotations

import os
from pathlib import Path

from logscan.facts.live import TASKLIST_TSMANAGER, TSENV_POWERSHELL, CommandResult
from logscan.facts.memhost import MemoryHost
from logscan.repair.host import WHOAMI, WHOAMI_GROUPS, CommandHost, elevation_from_groups
from logscan.repair.locate import locate_ccmcertfix, search_places


def test_a_given_file_is_used_and_nothing_else_is_searched(tmp_path: Path, tool: Path) -> None:
    found = locate_ccmcertfix(str(tool), MemoryHost(), {"SystemRoot": str(tmp_path)})
    assert found.found == str(tool) and found.explicit
    assert [item.result for item in found.looked] == ["found"]


def test_a_given_sms_root_folder_is_searched_under_logs_kb977203(tool: Path) -> None:
    sms_root = tool.parent.parent.parent
    found = locate_ccmcertfix(str(sms_root), None, {})
    assert found.found == str(tool)
    assert [item.result for item in found.looked] == ["absent", "absent", "found"]


def test_a_wrong_given_path_is_not_papered_over_by_another_copy(tmp_path: Path, tool: Path) -> None:
    host = MemoryHost(
        registry={r"Microsoft\SMS\Identification": {"Installation Directory": str(tool.parents[2])}}
    )
    found = locate_ccmcertfix(str(tmp_path / "typo.exe"), host, {})
    assert found.found is None
    assert [item.path for item in found.looked] == [str(tmp_path / "typo.exe")]
    assert "absent" in found.describe()


def test_default_search_order_site_server_then_install_dir_then_client_folders(
    tmp_path: Path, tool: Path
) -> None:
    windir = tmp_path / "Windows"
    client = windir / "System32" / "CCM"
    client.mkdir(parents=True)
    host = MemoryHost(
        registry={
            r"Wow6432Node\Microsoft\SMS\Identification": {
                "Installation Directory": str(tool.parents[2])
            },
            r"Microsoft\SMS\Client\Configuration\Client Properties": {
                "Local SMS Path": str(client) + os.sep
            },
        }
    )
    env = {"SMS_LOG_PATH": str(tmp_path / "nowhere" / "Logs"), "SystemRoot": str(windir)}
    places = search_places(host, env)
    whys = [p.why for p in places]
    assert whys[0] == "%SMS_LOG_PATH% (site server)"
    assert "Wow6432Node" in whys[1]
    assert whys[2] == "client folder (Local SMS Path)"
    # The client folder from the registry and %windir%\System32\CCM are one place.
    assert len({os.path.normcase(os.path.dirname(p.path)).rstrip(os.sep) for p in places}) == len(
        places
    )
    found = locate_ccmcertfix(None, host, env)
    assert found.found == str(tool)
    assert [i.result for i in found.looked] == ["absent", "found"]


def test_nothing_found_lists_every_place_looked(tmp_path: Path) -> None:
    (tmp_path / "Windows" / "CCM" / "CCMCertFix.exe").mkdir(parents=True)
    found = locate_ccmcertfix(None, MemoryHost(), {"windir": str(tmp_path / "Windows")})
    assert found.found is None and not found.explicit
    assert len(found.looked) == 5
    assert {i.result for i in found.looked} == {"absent", "not a file"}


_GROUPS_HIGH = (
    b'"Everyone","Well-known group","S-1-1-0","Mandatory group, Enabled by default"\r\n'
    b'"BUILTIN\\\\Administrators","Alias","S-1-5-32-544","Group owner"\r\n'
    b'"Mandatory Label\\\\High Mandatory Level","Label","S-1-16-12288",""\r\n'
)
_GROUPS_MEDIUM = _GROUPS_HIGH.replace(b"S-1-16-12288", b"S-1-16-8192").replace(b"High", b"Medium")


def test_elevation_is_read_from_the_mandatory_label_sid() -> None:
    assert elevation_from_groups(_GROUPS_HIGH.decode())[0] is True
    assert elevation_from_groups(_GROUPS_MEDIUM.decode())[0] is False
    # Localised group names do not matter; a missing label means "cannot tell".
    german = _GROUPS_HIGH.decode().replace("High Mandatory Level", "Verbindliche Beschriftung")
    assert elevation_from_groups(german)[0] is True
    assert elevation_from_groups('"Everyone","Well-known group","S-1-1-0",""')[0] is None


def test_command_host_reads_user_elevation_and_task_sequence() -> None:
    host = MemoryHost(
        name="PC01",
        commands={
            WHOAMI: CommandResult(0, b"contoso\\admin\r\n"),
            WHOAMI_GROUPS: CommandResult(0, _GROUPS_HIGH),
            TASKLIST_TSMANAGER: CommandResult(
                0, b'"TSManager.exe","4242","Services","0","12,345 K"\r\n'
            ),
        },
    )
    state = CommandHost(host).state()
    assert (state.name, state.user, state.elevated, state.task_sequence) == (
        "PC01",
        "contoso\\admin",
        True,
        True,
    )
    assert "TSManager.exe running" in state.task_sequence_detail


def test_command_host_falls_back_to_the_tsenvironment_probe_and_admits_ignorance() -> None:
    probe = MemoryHost(
        commands={
            WHOAMI_GROUPS: CommandResult(0, _GROUPS_MEDIUM),
            TSENV_POWERSHELL: CommandResult(0, b"none\r\n"),
        }
    )
    state = CommandHost(probe).state()
    assert state.elevated is False and state.task_sequence is False and state.user is None
    silent = CommandHost(MemoryHost()).state()
    assert silent.elevated is None and silent.task_sequence is None
    assert "cannot tell" in silent.elevation_detail
