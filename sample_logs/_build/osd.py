"""What the OSD child processes write into smsts.log: the state migration point client, the
USMT wrapper, CCMCertFix run as a step, and the WinPE / setup actions of a deployment.

The OSDSMPClient wording is reconstructed (no public raw log holds it, see
reference/log-formats.md section 3.4); the USMT wrapper lines follow KB2269650.
"""

from __future__ import annotations

from collections.abc import Callable

from ts import Ts

CERT_IMPORT_FAILED = "Failed to import client certificate store (0x80092024)"


def store_path(ts: Ts, store_id: str) -> str:
    return rf"\\{ts.site.smp}\{ts.site.smp_share}\{store_id}"


def smp_request(ts: Ts, mode: str, store_id: str, *, cert_error: bool = False) -> int:
    """``osdsmpclient.exe /capture|/restore``; with ``cert_error`` it fails as in KB977203."""
    say = ts.child("OSDSMPClient")
    smp, site = ts.site.smp, ts.site
    verb = "Capture" if mode == "capture" else "Restore"
    say(f"Command line: osdsmpclient.exe /{mode}", 0, "main.cpp:1009")
    say(f"Management point: {site.mp}, site code: {site.code}", 0, "main.cpp:1042")
    say("Getting the state migration point list from the management point", 1, "smpclient.cpp:612")
    say(
        f"Sending location request for state migration points to {site.mp}",
        0,
        "smpclient.cpp:640",
        (20, 120),
    )
    say(
        f"Received location reply: 1 state migration point(s) for site {site.code}",
        0,
        "smpclient.cpp:688",
        (60, 400),
    )
    say(f"Requesting state store from SMP server {smp}", 1, "smpclient.cpp:1114")
    say(
        "Reading the client certificates from the local machine store 'SMS'",
        0,
        "clientidentity.cpp:402",
    )
    if cert_error:
        say(CERT_IMPORT_FAILED, 3, "clientidentity.cpp:433")
        say(
            f"Failed to create the {mode} request for SMP server {smp} (0x80092024)",
            3,
            "smpclient.cpp:1131",
        )
        say(
            f"Failed to request state store from SMP server {smp} (0x80092024)",
            3,
            "smpclient.cpp:1160",
        )
        say(f"Execute{verb}Request failed (0x80092024).", 3, "main.cpp:1187")
        say("OSDSMPClient finished: 0x80092024", 1, "main.cpp:1241")
        return 0x80092024
    path = store_path(ts, store_id)
    say("Imported 2 certificate(s) from the client certificate store", 0, "clientidentity.cpp:440")
    say(
        f"Sending {mode} request to http://{smp}:80/SMS_SMP/.sms_smp",
        0,
        "smpclient.cpp:1170",
        (20, 80),
    )
    say(f"Request to SMP server {smp} succeeded", 1, "smpclient.cpp:1203", (200, 1500))
    say(f"State store path: {path}", 1, "smpclient.cpp:1211")
    say(f"Connecting to state store {path}", 0, "smpclient.cpp:1240")
    say(f"Successfully connected to state store {path}", 1, "smpclient.cpp:1262", (30, 300))
    say(f"Set a global environment variable OSDStateStorePath={path}", 0, "environmentlib.cpp:540")
    say("OSDSMPClient finished: 0x00000000", 1, "main.cpp:1241")
    return 0


def smp_release(ts: Ts, store_id: str) -> int:
    say = ts.child("OSDSMPClient")
    path = store_path(ts, store_id)
    say("Command line: osdsmpclient.exe /release", 0, "main.cpp:1009")
    say(f"Management point: {ts.site.mp}, site code: {ts.site.code}", 0, "main.cpp:1042")
    say(
        "Reading the client certificates from the local machine store 'SMS'",
        0,
        "clientidentity.cpp:402",
    )
    say("Imported 2 certificate(s) from the client certificate store", 0, "clientidentity.cpp:440")
    say(
        f"Sending release request to SMP server {ts.site.smp} for {path}",
        1,
        "smpclient.cpp:1302",
        (20, 80),
    )
    say(f"Request to SMP server {ts.site.smp} succeeded", 1, "smpclient.cpp:1203", (150, 900))
    say("State store released", 1, "smpclient.cpp:1330")
    say("OSDSMPClient finished: 0x00000000", 1, "main.cpp:1241")
    return 0


def usmt_run(ts: Ts, collect: bool, usmt_dir: str, tool_line: str, body: Callable[[], int]) -> int:
    """``osdmigrateuserstate.exe``: launches ScanState/LoadState; ``body`` writes the USMT log."""
    say = ts.child("OSDUSMT")
    mode = "/collect /continueOnError:" if collect else "/apply /continueOnError:"
    say(f"Command line: osdmigrateuserstate.exe {mode}", 0, "main.cpp:1046")
    say(
        "Begin capturing user state" if collect else "Begin restoring user state",
        1,
        "migrateuserstate.cpp:283",
    )
    say(f"USMT 4.0 found in {usmt_dir}", 0, "migrateuserstate.cpp:160")
    say('Command line for extension .exe is "%1" %*', 0, "commandline.cpp:229")
    say(f"Set command line: {tool_line}", 0, "commandline.cpp:707")
    say(f"Executing command line: {tool_line}", 1, "commandline.cpp:827")
    code = body()
    say(f"Process completed with exit code {code}", 1, "commandline.cpp:1123", (20, 120))
    say(f"USMT completed with exit code {code}", 1, "migrateuserstate.cpp:344")
    if code:
        say(
            f"USMT returned exit code (0x{code:08X}). Look USMT log file",
            3,
            "migrateuserstate.cpp:349",
        )
    else:
        say(
            "Successfully captured user state" if collect else "Successfully restored user state",
            1,
            "migrateuserstate.cpp:355",
        )
    say(f"Exiting with return code 0x{code:08X}", 1, "main.cpp:1102")
    return code


def run_command_line(ts: Ts, package: str, command: str, body: Callable[[], int]) -> int:
    """A *Run Command Line* step with a package: smsswd.exe hides the real command line."""
    say = ts.child("InstallSoftware")
    say(f"Command line: smsswd.exe /run:{package} {command}", 0, "smsswd.cpp:309")
    say(f"PackageID = '{package}'", 1, "smsswd.cpp:107")
    say("BaseVar = '', ContinueOnError=''", 1, "smsswd.cpp:108")
    say(
        rf"Using the package path C:\_SMSTaskSequence\Packages\{package}",
        1,
        "swdaction.cpp:441",
        (30, 200),
    )
    say('Command line for extension .exe is "%1" %*', 0, "commandline.cpp:229")
    say("Set command line: Run command line", 0, "commandline.cpp:707")
    say("Working dir 'not set'", 1, "swdaction.cpp:506")
    say("Executing command line: Run command line", 1, "commandline.cpp:827")
    code = body()
    say(f"Process completed with exit code {code}", 1, "commandline.cpp:1123", (20, 120))
    say(f"Command line returned {code}", 1, "swdaction.cpp:582")
    return code


# -- WinPE and setup ---------------------------------------------------------------------
def pxe_boot(ts: Ts, mac: str, ip: str, boot_image: str) -> None:
    pxe = ts.child("TSPxe")
    phase = ts.phase
    var_file = f"\\SMSTemp\\2011.03.09.07.38.12.0001.{{{mac}}}.boot.var"
    bootstrap = f"{phase.ccm}\\TsmBootstrap.exe /env:WinPE /configpath:X:\\sms\\data"
    pxe(
        "==============================[ TSPxe.exe ]==============================",
        1,
        "tspxe.cpp:230",
    )
    pxe(f"Command line: {phase.ccm}\\TsPxe.exe", 0, "tspxe.cpp:231")
    pxe(f"Current OS version is {phase.version}", 1, "util.cpp:2813")
    pxe("PXE Boot with Root = X:\\", 1, "tspxe.cpp:208")
    pxe("Executing from PXE in WinPE", 1, "tspxe.cpp:215")
    pxe(
        'Found network adapter "Intel(R) 82567LM-3 Gigabit Network Connection" '
        f"with IP Address {ip}.",
        0,
        "tsmbootstraputil.cpp:588",
    )
    pxe(
        f"Variable Path: {var_file}",
        1,
        "tspxe.cpp:119",
        (40, 200),
    )
    pxe(
        f"Executing: {phase.ccm}\\smstftp.exe -i 10.20.0.21 get {var_file} "
        "X:\\sms\\data\\variables.dat",
        1,
        "tspxe.cpp:170",
    )
    pxe("Command line returned 0", 1, "tspxe.cpp:182", (300, 1800))
    pxe("Decompressing media variables.", 1, "tsremovablemedia.cpp:205")
    pxe(f"Boot image: {boot_image}", 0, "tspxe.cpp:290")
    pxe(
        f'Executing command line: "{phase.ccm}\\TsmBootstrap.exe" '
        "/env:WinPE /configpath:X:\\sms\\data",
        1,
        "commandline.cpp:827",
    )
    ts.boot(
        "==============================[ TSMBootStrap.exe ]==============================",
        1,
        "tsmbootstrap.cpp:1045",
    )
    ts.boot(
        f"Command line: {bootstrap}",
        0,
        "tsmbootstrap.cpp:1046",
    )
    ts.boot(f"Current OS version is {phase.version}", 1, "util.cpp:2813")
    ts.boot("Logging successfully initialized.", 1, "tsmbootstrap.cpp:1060")
    ts.boot(
        f"Resolving the management point {ts.site.mp}",
        1,
        "tsmediawizardcontrol.cpp:1517",
        (100, 600),
    )
    ts.boot(f"Getting policy for client {ts.guid}", 1, "tspolicy.cpp:1202", (100, 600))
    ts.boot(
        f"Found 1 task sequence assigned: {ts.adv} ({ts.pkg} {ts.name})",
        1,
        "tspolicy.cpp:1310",
        (300, 2000),
    )
    ts.boot(f"Downloading task sequence policy for {ts.adv}", 1, "tspolicy.cpp:1402")
    ts.progress_ui("register")
    ts.start_manager()
    ts.var("_SMSTSAdvertID", ts.adv)
    ts.var("_SMSTSPackageID", ts.pkg)
    ts.var("_SMSTSPackageName", ts.name)
    ts.var("_SMSTSSiteCode", ts.site.code)
    ts.var("_SMSTSMP", ts.site.mp)
    ts.var("_SMSTSClientGUID", ts.guid)
    ts.var("_SMSTSLaunchMode", "PXE")
    ts.var("_SMSTSMediaType", "BootMedia")
    ts.var("_SMSTSLogPath", phase.logpath)


def partition(ts: Ts) -> int:
    say = ts.child("OSDDiskPart")
    say("Command line: osddiskpart.exe", 0, "main.cpp:104")
    say("Using disk 0 (partition style MBR, 160 GB)", 1, "diskpart.cpp:402")
    say("Cleaning disk 0", 1, "diskpart.cpp:455", (200, 900))
    say(
        "Creating primary partition 1 (100% of remaining space, bootable)",
        1,
        "diskpart.cpp:512",
        (300, 1200),
    )
    say(
        "Formatting volume C: (NTFS, quick format, label 'Windows')",
        1,
        "diskpart.cpp:601",
        (1500, 4000),
    )
    say("Successfully formatted volume C:", 1, "diskpart.cpp:640", (2000, 6000))
    say("Exiting with return code 0x00000000", 1, "main.cpp:160")
    return 0


def apply_os(ts: Ts, package: str, wim: str) -> int:
    say = ts.child("ApplyOperatingSystem")
    say(
        f"Command line: OSDApplyOS.exe /image:{package},1 /target:C: /runfromnet:False",
        0,
        "applyos.cpp:306",
    )
    say(
        rf"Downloading package {package} to C:\_SMSTaskSequence\Packages\{package}",
        1,
        "resolvesource.cpp:3375",
        (100, 600),
    )
    ts.log.clock.wait(240)
    say(f"Successfully downloaded package {package}", 1, "resolvesource.cpp:3412")
    say(
        rf"Installing image index 1 of C:\_SMSTaskSequence\Packages\{package}\{wim} to C:\ ",
        1,
        "installimage.cpp:1002",
    )
    ts.log.clock.wait(540)
    say("Successfully applied the image", 1, "installimage.cpp:1143")
    say(
        r"Setting up the boot files: bcdboot.exe C:\Windows /s C:",
        1,
        "bootsector.cpp:880",
        (200, 900),
    )
    say("Exiting with return code 0x00000000", 1, "applyos.cpp:512", (300, 1500))
    return 0


def win_settings(ts: Ts) -> int:
    say = ts.child("OSDWinSettings")
    say("Command line: osdwinsettings.exe /config", 0, "main.cpp:78")
    say(f"Setting computer name to {ts.host}", 1, "winsettings.cpp:410")
    say("Setting time zone to Eastern Standard Time", 1, "winsettings.cpp:452")
    say("Setting registered organization to Example Corp", 1, "winsettings.cpp:470")
    say("Exiting with return code 0x00000000", 1, "main.cpp:132")
    return 0


def net_settings(ts: Ts) -> int:
    say = ts.child("OSDNetSettings")
    say("Command line: osdnetsettings.exe /config", 0, "main.cpp:82")
    say("Configuring the adapter for DHCP", 1, "netsettings.cpp:201")
    say(
        "Joining domain corp.example.com in OU=Workstations,DC=corp,DC=example,DC=com",
        1,
        "netsettings.cpp:340",
    )
    say("Exiting with return code 0x00000000", 1, "main.cpp:140")
    return 0


def drivers(ts: Ts) -> int:
    say = ts.child("OSDDriverClient")
    say("Command line: osddriverclient.exe /auto /bestmatch", 0, "main.cpp:90")
    say("Enumerating devices: 68 device(s) found", 1, "driverclient.cpp:512", (400, 2400))
    say("Matched 7 driver(s) in the driver catalog", 1, "driverclient.cpp:688", (400, 2400))
    ts.log.clock.wait(45)
    say("Successfully staged 7 driver(s) for Windows setup", 1, "driverclient.cpp:912")
    say("Exiting with return code 0x00000000", 1, "main.cpp:166")
    return 0


def setup_windows(ts: Ts, patch: str | None) -> int:
    say = ts.child("OSDSetupWindows")
    props = f"SMSMP={ts.site.mp} SMSSITECODE={ts.site.code}"
    if patch:
        props += f' PATCH="{patch}"'
    say("Command line: osdsetupwindows.exe", 0, "main.cpp:95")
    say(f"Client installation properties: {props}", 1, "setupwindows.cpp:615")
    say(
        r"Installing the setup hook to C:\Windows\system32\OSDSetupHook.exe",
        1,
        "setupwindows.cpp:702",
    )
    say("Windows setup will continue after a reboot", 1, "setupwindows.cpp:800")
    say("Exiting with return code 0x00000000", 1, "main.cpp:180")
    return 0


def setup_hook(ts: Ts, client_logs: str) -> Callable[[Callable[[], int]], None]:
    """First boot of the new OS: the hook installs the client; call the result with the
    ccmsetup body, and it logs up to the move of the logs into the client's folder."""
    hook = ts.child("OSDSetupHook")

    def run(ccmsetup: Callable[[], int]) -> None:
        hook(
            "==============================[ OSDSetupHook.exe ]==============================",
            1,
            "basesetuphook.cpp:1224",
        )
        hook("Executing task sequence", 1, "basesetuphook.cpp:1250")
        hook(
            r"Loading the Task Sequencing Environment from C:\_SMSTaskSequence\TSEnv.dat",
            1,
            "environmentlib.cpp:305",
        )
        hook(
            "Windows setup completed; configuring the Configuration Manager client",
            1,
            "basesetuphook.cpp:1302",
        )
        src = rf"C:\_SMSTaskSequence\OSD\{ts.site.client_pkg}"
        cmd = rf'"{src}\ccmsetup.exe" /useronly /source:{src} /config:MobileClient.TCF /status:1164'
        hook(f"Executing command line: {cmd}", 1, "commandline.cpp:827")
        code = ccmsetup()
        hook(f"Process completed with exit code {code}", 1, "commandline.cpp:1123", (100, 600))
        hook("Configuration Manager client installed successfully", 1, "basesetuphook.cpp:1340")
        hook(f"Moving logs to SMS client directory: {client_logs}", 1, "tslogging.cpp:1531")

    return run


def moved_logs(ts: Ts, client_logs: str) -> None:
    """The line that ends the copy of smsts.log left in C:\\_SMSTaskSequence."""
    hook = ts.child("OSDSetupHook")
    hook(
        f"Successfully moved logs to SMS client log directory: {client_logs}",
        1,
        "tslogging.cpp:1573",
    )
    hook(
        "Starting the task sequence manager to finish the task sequence",
        1,
        "basesetuphook.cpp:1402",
    )


def capture_settings(ts: Ts, which: str) -> int:
    """*Capture Windows Settings* / *Capture Network Settings* in the old OS."""
    if which == "windows":
        say = ts.child("OSDWinSettings")
        say("Command line: osdwinsettings.exe /capture", 0, "main.cpp:78")
        say(f"Capturing computer name: {ts.host}", 1, "winsettings.cpp:212")
        say("Capturing registered owner and organization", 1, "winsettings.cpp:240")
        say("Capturing time zone: Eastern Standard Time", 1, "winsettings.cpp:266")
        say("Exiting with return code 0x00000000", 1, "main.cpp:132")
    else:
        say = ts.child("OSDNetSettings")
        say("Command line: osdnetsettings.exe /capture", 0, "main.cpp:82")
        say("Capturing domain membership: corp.example.com", 1, "netsettings.cpp:118")
        say("Capturing network adapter settings (1 adapter)", 1, "netsettings.cpp:150")
        say("Exiting with return code 0x00000000", 1, "main.cpp:140")
    return 0
