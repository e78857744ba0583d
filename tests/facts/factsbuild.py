"""Builders for machine-fact test inputs, in the exact shapes the Windows tools write.

systeminfo (English list form of Windows 7 SP1 and XP SP3, CSV form), wmic qfe (list and
table forms, UTF-16LE with BOM and CR CR LF line ends as cmd.exe redirection leaves them),
reg exports (through the project's writer), and the collector's manifest.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping
from pathlib import Path

from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file

HKLM_SW = "HKEY_LOCAL_MACHINE\\SOFTWARE"
MOBILE_CLIENT = HKLM_SW + "\\Microsoft\\SMS\\Mobile Client"
MOBILE_CLIENT_WOW = HKLM_SW + "\\Wow6432Node\\Microsoft\\SMS\\Mobile Client"
CURRENT_VERSION = HKLM_SW + "\\Microsoft\\Windows NT\\CurrentVersion"
CLIENT_PRODUCT = (
    HKLM_SW + "\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products"
    "\\1FDE90624C4330B46B43553F3BCB9413"
)


def _label(label: str, value: str) -> str:
    # systeminfo pads labels so values start in column 27.
    return f"{label + ':':<27}{value}"


def systeminfo_text(
    host: str = "PC01",
    *,
    os_name: str = "Microsoft Windows 7 Enterprise ",
    os_version: str = "6.1.7601 Service Pack 1 Build 7601",
    system_type: str = "x64-based PC",
    hotfixes: Iterable[str] = ("KB2305420", "KB2393802", "KB976902"),
    announced: int | None = None,
) -> str:
    """English ``systeminfo`` list output; ``announced`` overrides the hotfix count."""
    fixes = list(hotfixes)
    pad = " " * 27
    lines = [
        "",
        _label("Host Name", host),
        _label("OS Name", os_name),
        _label("OS Version", os_version),
        _label("OS Manufacturer", "Microsoft Corporation"),
        _label("OS Configuration", "Member Workstation"),
        _label("OS Build Type", "Multiprocessor Free"),
        _label("Registered Owner", "IT"),
        _label("Product ID", "00392-918-5000002-85000"),
        _label("Original Install Date", "3/14/2011, 10:12:45 AM"),
        _label("System Manufacturer", "Dell Inc."),
        _label("System Model", "OptiPlex 780"),
        _label("System Type", system_type),
        _label("Processor(s)", "1 Processor(s) Installed."),
        pad + "[01]: Intel64 Family 6 Model 23 Stepping 10 GenuineIntel ~2926 Mhz",
        _label("BIOS Version", "Dell Inc. A05, 10/15/2010"),
        _label("Windows Directory", "C:\\Windows"),
        _label("Time Zone", "(UTC-05:00) Eastern Time (US & Canada)"),
        _label("Total Physical Memory", "4,011 MB"),
        _label("Virtual Memory: Max Size", "8,021 MB"),
        _label("Domain", "contoso.com"),
        _label("Logon Server", "\\\\DC01"),
        _label(
            "Hotfix(s)",
            f"{announced if announced is not None else len(fixes)} Hotfix(s) Installed.",
        ),
        *(f"{pad}[{i:02d}]: {kb}" for i, kb in enumerate(fixes, start=1)),
        _label("Network Card(s)", "1 NIC(s) Installed."),
        pad + "[01]: Intel(R) 82567LM-3 Gigabit Network Connection",
        pad + "      Connection Name: Local Area Connection",
        pad + "      DHCP Enabled:    Yes",
        pad + "      IP address(es)",
        pad + "      [01]: 10.0.0.25",
    ]
    return "\r\n".join(lines) + "\r\n"


def systeminfo_xp(hotfixes: Iterable[str] = ("KB958644", "KB974571", "KB975025")) -> str:
    """XP SP3 x86: 974571 installed as a separate update, with XP's 'File 1' rows."""
    text = systeminfo_text(
        "XPCLIENT7",
        os_name="Microsoft Windows XP Professional",
        os_version="5.1.2600 Service Pack 3 Build 2600",
        system_type="X86-based PC",
        hotfixes=("File 1", *hotfixes),
    )
    return text


def systeminfo_csv(host: str = "PC02", hotfixes: Iterable[str] = ("KB974571",)) -> str:
    fixes = list(hotfixes)
    cell = ",".join(
        [
            f"{len(fixes)} Hotfix(s) Installed.",
            *(f"[{i:02d}]: {kb}" for i, kb in enumerate(fixes, 1)),
        ]
    )
    header = '"Host Name","OS Name","OS Version","System Type","Hotfix(s)","Domain"'
    row = (
        f'"{host}","Microsoft Windows Vista Business ","6.0.6002 Service Pack 2 Build 6002",'
        f'"X86-based PC","{cell}","WORKGROUP"'
    )
    return f"{header}\r\n{row}\r\n"


def oem(text: str) -> bytes:
    """What ``systeminfo > file`` leaves: the console code page, CRLF."""
    return text.encode("cp850")


def wmic_list(host: str, hotfixes: Iterable[str], *, bom: bool = True) -> bytes:
    """``wmic qfe list full /format:list > file`` from cmd.exe: UTF-16LE, CR CR LF."""
    blocks = []
    for kb in hotfixes:
        fields = [
            f"Caption=http://support.microsoft.com/?kbid={kb[2:]}",
            f"CSName={host}",
            "Description=Security Update",
            "FixComments=",
            f"HotFixID={kb}",
            "InstallDate=",
            "InstalledBy=NT AUTHORITY\\SYSTEM",
            "InstalledOn=3/15/2011",
            "Name=",
            "ServicePackInEffect=",
            "Status=",
        ]
        blocks.append("\r\r\n".join(fields))
    text = "\r\r\n\r\r\n" + "\r\r\n\r\r\n\r\r\n".join(blocks) + "\r\r\n\r\r\n\r\r\n"
    return (codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le")


def wmic_table(rows: Iterable[tuple[str, str]]) -> bytes:
    """``wmic qfe get HotFixID,InstalledOn``: a padded column table, UTF-16LE with BOM."""
    lines = [f"{'HotFixID':<11}{'InstalledOn':<13}"]
    lines += [f"{kb:<11}{when:<13}" for kb, when in rows]
    return codecs.BOM_UTF16_LE + ("\r\r\n".join(lines) + "\r\r\n\r\r\n").encode("utf-16-le")


def sz(name: str, text: str) -> RegValue:
    return RegValue(name, RegType.SZ, text.encode("utf-16-le") + b"\0\0", 0)


def dword(name: str, number: int) -> RegValue:
    return RegValue(name, RegType.DWORD, number.to_bytes(4, "little"), 0)


def reg_export(keys: Mapping[str, Iterable[RegValue]]) -> bytes:
    """A ``reg export`` file (UTF-16LE with BOM, CRLF) of the given keys."""
    return format_reg_file([RegKey(path, 0, tuple(values)) for path, values in keys.items()])


def mobile_client_export(version: str = "4.00.6487.2000", *, wow: bool = True) -> bytes:
    key = MOBILE_CLIENT_WOW if wow else MOBILE_CLIENT
    return reg_export(
        {
            key: [sz("ProductVersion", version), sz("AssignedSiteCode", "ABC")],
            key + "\\Software Distribution": [dword("State", 0)],
        }
    )


def client_msi_export(patch_names: Iterable[str]) -> bytes:
    keys: dict[str, list[RegValue]] = {
        CLIENT_PRODUCT: [],
        CLIENT_PRODUCT + "\\InstallProperties": [sz("DisplayVersion", "4.00.6487.2000")],
        CLIENT_PRODUCT + "\\Patches": [],
    }
    for i, name in enumerate(patch_names):
        keys[f"{CLIENT_PRODUCT}\\Patches\\A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D{i}"] = [
            sz("DisplayName", name),
            dword("State", 1),
        ]
    return reg_export(keys)


def manifest_text(host: str = "PC01", *, complete: bool = True, **extra: str) -> bytes:
    """``manifest.txt`` in the order and form collect_logscan.cmd writes it."""
    entries = {
        "collector": "logscan-collector",
        "collector_version": "1.0",
        "computer_name": host,
        "date": "Tue 05/03/2011",
        "time": "14:02:11.52",
        "systemroot": "C:\\Windows",
        "processor_architecture": "AMD64",
        "processor_architew6432": "",
        "winpe": "no",
        "os_ver": "Microsoft Windows [Version 6.1.7601]",
        "os_product_name": "Windows 7 Enterprise",
        "os_current_version": "6.1",
        "os_build": "7601",
        "os_csd": "Service Pack 1",
        "ts_running": "no",
    }
    entries.update(extra)
    lines = ["# logscan collector manifest"]
    lines += [f"{k}={v}" for k, v in entries.items()]
    lines += [
        "found=C:\\Windows\\SysWOW64\\CCM\\Logs",
        "missing=C:\\Windows\\System32\\CCM\\Logs",
        "missing=X:\\SMSTSLog",
        "reg_export=sms_store.reg|HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS",
        "reg_export=mobile_client_wow6432node.reg|HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\SMS\\Mobile Client",  # noqa: E501
        "systeminfo=systeminfo.txt",
        "hotfixes=hotfixes.txt",
    ]
    if complete:
        lines += ["end_time=14:03:40.07", "errors=0", "status=complete"]
    return ("\r\n".join(lines) + "\r\n").encode("cp850")  # echo writes the OEM code page


def write_tree(root: Path, files: Mapping[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root
