"""``systeminfo > systeminfo.txt`` output (English), as an admin's collection script saves it.

Redirected console output is OEM-code-page text with CRLF and no BOM (plain ASCII here),
and starts with an empty line. Labels follow the Windows edition: XP writes ``System Up Time`` and
``NetWork Card(s)``, Vista and 7 write ``System Boot Time`` and ``Network Card(s)``.
Windows 7 SP1 does not list KB974571: the service pack contains it. Time zone names read
"(GMT-05:00)" before Windows 7 and "(UTC-05:00)" from Windows 7 on.
"""

from __future__ import annotations

from dataclasses import dataclass

XP_HOTFIXES = (
    "File 1",
    "KB950762",
    "KB950974",
    "KB951066",
    "KB951376-v2",
    "KB951748",
    "KB952004",
    "KB952954",
    "KB955069",
    "KB956572",
    "KB956802",
    "KB957097",
    "KB958644",
    "KB958687",
    "KB959426",
    "KB960225",
    "KB960803",
    "KB961501",
    "KB967715",
    "KB968537",
    "KB969059",
    "KB969897",
    "KB970238",
    "KB970430",
    "KB971032",
    "KB971468",
    "KB971557",
    "KB971657",
    "KB972270",
    "KB973346",
    "KB973507",
    "KB973525",
    "KB973687",
    "KB973869",
    "KB973904",
    "KB974112",
    "KB974318",
    "KB974392",
    "KB974571",
    "KB975025",
    "KB975467",
    "KB975560",
    "KB975713",
    "KB976323",
    "KB977165",
    "KB977914",
    "KB978037",
    "KB978251",
    "KB978262",
    "KB978601",
    "KB978706",
    "KB979309",
    "KB979482",
    "KB979559",
    "KB979683",
    "KB980195",
    "KB980232",
    "KB981322",
    "KB981997",
    "KB982214",
    "KB982381",
    "KB2079403",
    "KB2115168",
    "KB2121546",
    "KB2160329",
    "KB2229593",
    "KB2259922",
    "KB2286198",
    "KB2296011",
    "KB2347290",
    "KB2360937",
    "KB2387149",
    "KB2419632",
    "KB2423089",
    "KB2436673",
    "KB2440591",
    "KB2443105",
)
VISTA_HOTFIXES = (
    "KB948609",
    "KB948610",
    "KB955430",
    "KB956250",
    "KB958481",
    "KB958483",
    "KB967723",
    "KB971512",
    "KB971644",
    "KB972036",
    "KB973565",
    "KB973917",
    "KB974318",
    "KB974571",
    "KB975517",
    "KB976098",
    "KB977165",
    "KB978207",
    "KB979309",
    "KB980195",
    "KB982214",
    "KB2079403",
    "KB2286198",
    "KB2347290",
    "KB2423089",
    "KB2440591",
)
WIN7_SP1_HOTFIXES = ("KB976902", "KB2454826", "KB2479943", "KB2483614", "KB2485376")


@dataclass(frozen=True, slots=True)
class Machine:
    """What systeminfo reports about one machine."""

    host: str
    os: str  # "xp", "vista" or "win7"
    install_date: str  # as systeminfo prints it: "8/14/2008, 9:12:44 AM"
    uptime_or_boot: str  # XP: "0 Days, 3 Hours, ..."; later: "3/2/2011, 7:58:10 AM"
    model: tuple[str, str, str]  # manufacturer, model, BIOS version
    ip: str
    hotfixes: tuple[str, ...]
    x64: bool = False
    memory_mb: int = 2014


def _os_lines(m: Machine) -> list[tuple[str, str]]:
    if m.os == "xp":
        return [
            ("OS Name", "Microsoft Windows XP Professional"),
            ("OS Version", "5.1.2600 Service Pack 3 Build 2600"),
        ]
    if m.os == "vista":
        return [
            ("OS Name", "Microsoft Windows Vista Enterprise "),
            ("OS Version", "6.0.6002 Service Pack 2 Build 6002"),
        ]
    return [
        ("OS Name", "Microsoft Windows 7 Enterprise "),
        ("OS Version", "6.1.7601 Service Pack 1 Build 7601"),
    ]


def systeminfo(m: Machine) -> bytes:
    xp = m.os == "xp"
    windir = "C:\\WINDOWS" if xp else "C:\\Windows"
    maker, model, bios = m.model
    free = m.memory_mb * 3 // 5
    rows: list[tuple[str, str]] = [("Host Name", m.host), *_os_lines(m)]
    rows += [
        ("OS Manufacturer", "Microsoft Corporation"),
        ("OS Configuration", "Member Workstation"),
        ("OS Build Type", "Multiprocessor Free"),
        ("Registered Owner", "Example Corp IT"),
        ("Registered Organization", "Example Corp"),
        ("Product ID", "76487-OEM-0011903-00102" if xp else "00392-918-5000002-85703"),
        ("Original Install Date", m.install_date),
        ("System Up Time" if xp else "System Boot Time", m.uptime_or_boot),
        ("System Manufacturer", maker),
        ("System Model", model),
        ("System type" if xp else "System Type", "x64-based PC" if m.x64 else "X86-based PC"),
        ("Processor(s)", "1 Processor(s) Installed."),
        ("", "[01]: x86 Family 6 Model 15 Stepping 11 GenuineIntel ~2327 Mhz"),
        ("BIOS Version", bios),
        ("Windows Directory", windir),
        ("System Directory", windir + "\\system32"),
        ("Boot Device", "\\Device\\HarddiskVolume1"),
        ("System Locale", "en-us;English (United States)"),
        ("Input Locale", "en-us;English (United States)"),
        (
            "Time Zone",
            ("(UTC-05:00)" if m.os == "win7" else "(GMT-05:00)") + " Eastern Time (US & Canada)",
        ),
        ("Total Physical Memory", f"{m.memory_mb:,} MB"),
        ("Available Physical Memory", f"{free:,} MB"),
        ("Virtual Memory: Max Size", f"{m.memory_mb * 2:,} MB"),
        ("Virtual Memory: Available", f"{m.memory_mb * 2 - 611:,} MB"),
        ("Virtual Memory: In Use", "611 MB"),
        ("Page File Location(s)", "C:\\pagefile.sys"),
        ("Domain", "corp.example.com"),
        ("Logon Server", "\\\\DC01"),
        ("Hotfix(s)", f"{len(m.hotfixes)} Hotfix(s) Installed."),
    ]
    rows += [("", f"[{i:02d}]: {kb}") for i, kb in enumerate(m.hotfixes, 1)]
    rows += [
        ("NetWork Card(s)" if xp else "Network Card(s)", "1 NIC(s) Installed."),
        ("", "[01]: Intel(R) 82566DM-2 Gigabit Network Connection"),
        ("", "      Connection Name: Local Area Connection"),
        ("", "      DHCP Enabled:    Yes"),
        ("", "      DHCP Server:     10.20.0.10"),
        ("", "      IP address(es)"),
        ("", f"      [01]: {m.ip}"),
    ]
    lines = [""]
    for label, value in rows:
        head = f"{label}:" if label else ""
        lines.append(f"{head:<27}{value}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")
