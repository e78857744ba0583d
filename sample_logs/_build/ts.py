"""TSManager's side of a ConfigMgr 2007 task sequence in smsts.log (step grammar of
reference/log-formats.md section 3.2): banners, variables, command lines, step results,
status messages and the end of the run.

Child processes (OSDSMPClient, OSDUSMT, setup actions) write their own lines through
``Ts.child``; ``osd.py`` holds what they say.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ccm import CcmLog

RULE = (
    "!--------------------------------------------------------------------------------------------!"
)
STARS = "****************************************************************************"
NOT_CHAR_STRING = (
    "The dwValueType for the CERT_NAME_VALUE is not one of the character strings.  "
    "Most likely it is either a CERT_RDN_ENCODED_BLOB or CERT_RDN_OCTET_STRING."
)


@dataclass(frozen=True, slots=True)
class Site:
    code: str = "CHQ"
    mp: str = "SCCM01.corp.example.com"
    smp: str = "SMP01.corp.example.com"
    smp_share: str = "SMPSTORED_3A7F21C8$"
    client_pkg: str = "CHQ00004"
    usmt_pkg: str = "CHQ00011"
    certfix_pkg: str = "CHQ00057"


SITE = Site()


@dataclass(frozen=True, slots=True)
class Phase:
    """Where the sequence runs: the OS, its clock bias and the paths it uses."""

    os: str  # "xp", "vista", "win7", "winpe"
    version: str  # as TSMBootstrap prints it: major.minor.build.servicepack
    bias: int
    ccm: str  # client folder, or X:\sms\bin\<arch> in WinPE
    logpath: str  # _SMSTSLogPath

    @property
    def full_os(self) -> bool:
        return self.os != "winpe"


def xp_phase(bias: int = 300) -> Phase:
    ccm = r"C:\WINDOWS\system32\CCM"
    return Phase("xp", "5.1.2600.3", bias, ccm, ccm + r"\Logs\SMSTSLog")


def win7_phase(bias: int = 300, *, x64: bool) -> Phase:
    ccm = r"C:\Windows\SysWOW64\CCM" if x64 else r"C:\Windows\System32\CCM"
    return Phase("win7", "6.1.7601.1", bias, ccm, ccm + r"\Logs\SMSTSLog")


def vista_phase(bias: int = 240) -> Phase:
    ccm = r"C:\Windows\System32\CCM"
    return Phase("vista", "6.0.6002.2", bias, ccm, ccm + r"\Logs\SMSTSLog")


def winpe_phase(bias: int = 480, *, x64: bool) -> Phase:
    arch = "x64" if x64 else "i386"
    return Phase("winpe", "6.0.6001.1", bias, rf"X:\sms\bin\{arch}", r"X:\WINDOWS\TEMP\SMSTSLog")


def tid(rng: random.Random) -> int:
    """A Windows thread or process id: a multiple of 4."""
    return rng.randrange(300, 4000) * 4


class Ts:
    """One run of a task sequence as TSManager logs it."""

    def __init__(
        self,
        log: CcmLog,
        host: str,
        guid: str,
        package: tuple[str, str, str],
        phase: Phase,
        site: Site = SITE,
    ) -> None:
        self.log = log
        self.host = host
        self.guid = guid
        self.pkg, self.name, self.adv = package
        self.site = site
        self.rng = log.clock.rng
        self.phase = phase
        self.log.bias = phase.bias
        self.thread = tid(self.rng)
        self.boot_thread = tid(self.rng)

    # -- primitives ------------------------------------------------------------------
    def tsm(
        self,
        message: str,
        level: int = 1,
        source: str = "engine.cxx:142",
        gap: tuple[int, int] = (0, 16),
    ) -> None:
        self.log.add("TSManager", message, thread=self.thread, source=source, level=level, gap=gap)

    def boot(
        self,
        message: str,
        level: int = 1,
        source: str = "tsmbootstrap.cpp:1045",
        gap: tuple[int, int] = (0, 16),
    ) -> None:
        self.log.add(
            "TSMBootstrap", message, thread=self.boot_thread, source=source, level=level, gap=gap
        )

    def var(self, name: str, value: str) -> None:
        self.tsm(f"Set a global environment variable {name}={value}", 0, "executionenv.cxx:668")

    def local_default(self, name: str) -> None:
        self.tsm(f"Set a local default variable {name}", 0, "executionenv.cxx:697")

    def expand(self, text: str) -> None:
        self.tsm(f"Expand a string: {text}", 0, "executionenv.cxx:782")

    def child(self, component: str) -> Callable[..., None]:
        """A writer for a child process's own lines (its own thread id)."""
        thread = tid(self.rng)

        def say(
            message: str,
            level: int = 1,
            source: str = "main.cpp:212",
            gap: tuple[int, int] = (0, 30),
        ) -> None:
            self.log.add(component, message, thread=thread, source=source, level=level, gap=gap)

        return say

    def set_phase(self, phase: Phase) -> None:
        """A reboot: new processes, new thread ids, maybe a new bias."""
        self.phase = phase
        self.log.bias = phase.bias
        self.thread = tid(self.rng)
        self.boot_thread = tid(self.rng)

    # -- start of a run --------------------------------------------------------------
    def progress_ui(self, verb: str) -> None:
        exe = rf"{self.phase.ccm}\TsProgressUI.exe"
        arg = (
            "/Unregister"
            if verb == "unregister"
            else "/Register:" + ("WinPE" if not self.phase.full_os else "FullOS")
        )
        say = self.tsm if verb == "unregister" else self.boot
        say(f'Executing command line: "{exe}" {arg}', 1, "commandline.cpp:827")
        ui = self.child("TsProgressUI")
        ui(
            f"==========[ TsProgressUI started in process {tid(self.rng)} ]==========",
            1,
            "winmain.cpp:330",
        )
        ui(
            "Unregistering COM classes" if verb == "unregister" else "Registering COM classes",
            1,
            "winmain.cpp:204",
        )
        ui("Shutdown complete.", 1, "winmain.cpp:512")
        say("Process completed with exit code 0", 1, "commandline.cpp:1123")
        say(f"Successfully {verb}ed TS Progress UI.", 1, "utils.cpp:2889")

    def start_manager(self, *, resume: bool = False) -> None:
        self.boot(
            f'Executing command line: "{self.phase.ccm}\\TsManager.exe"', 1, "commandline.cpp:827"
        )
        self.tsm(
            "==============================[ TSManager.exe ]==============================",
            1,
            "tsmanager.cpp:847",
            (20, 60),
        )
        self.tsm("Successfully intialized Logging for TS Manager.", 1, "tsmanager.cpp:848")
        self.tsm(f"Commandline: {self.phase.ccm}\\TsManager.exe", 0, "tsmanager.cpp:849")
        self.tsm(
            "Successfully registered Task Sequencing Environment COM Interface.",
            1,
            "environmentscope.cpp:321",
        )
        self.tsm("Executing task sequence", 1, "tsmanager.cpp:620")
        source = "the Local Data Drive" if self.phase.full_os else "the Task Sequencing media"
        self.tsm(
            f"Loading the Task Sequencing Environment from {source}.", 1, "environmentlib.cpp:305"
        )
        if resume:
            self.tsm("Resuming the task sequence after a reboot", 1, "engine.cxx:311")
        else:
            self.tsm("Starting the task sequence execution engine", 1, "engine.cxx:220")

    def start_full_os(self) -> None:
        """Started from an advertisement in the full OS (execmgr -> TSMBootstrap)."""
        ccm = self.phase.ccm
        self.boot(
            "==============================[ TSMBootStrap.exe ]==============================",
            1,
            "tsmbootstrap.cpp:1045",
        )
        self.boot(
            f"Command line: {ccm}\\TSMBootstrap.exe /env:SAFull "
            f"/configpath:{ccm}\\Cache\\{self.pkg}.1.System /bootcount:0 /reloadenv",
            0,
            "tsmbootstrap.cpp:1046",
        )
        self.boot(f"Current OS version is {self.phase.version}", 1, "util.cpp:2813")
        self.boot("Logging successfully initialized.", 1, "tsmbootstrap.cpp:1060")
        self.boot("Starting Task Sequence in full OS", 1, "tsmbootstrap.cpp:877")
        self.progress_ui("register")
        self.start_manager()
        self.var("_SMSTSAdvertID", self.adv)
        self.var("_SMSTSPackageID", self.pkg)
        self.var("_SMSTSPackageName", self.name)
        self.var("_SMSTSSiteCode", self.site.code)
        self.var("_SMSTSMP", self.site.mp)
        self.var("_SMSTSMachineName", self.host)
        self.var("_SMSTSClientGUID", self.guid)
        self.var("_SMSTSLaunchMode", "SMS")
        self.var("_SMSTSLogPath", self.phase.logpath)

    # -- steps -----------------------------------------------------------------------
    def begin(self, name: str, pointer: int, defaults: tuple[str, ...] = ()) -> None:
        self.tsm(
            f"Start executing an instruction. Instruction name: {name}. "
            f"Instruction pointer: {pointer}",
            1,
            "engine.cxx:142",
            (40, 400),
        )
        self.var("_SMSTSCurrentActionName", name)
        self.var("_SMSTSNextInstructionPointer", str(pointer))
        for default in defaults:
            self.local_default(default)
        self.var("_SMSTSLogPath", self.phase.logpath)

    def run(self, command: str, body: Callable[[], int]) -> int:
        """Launch an action's command line; ``body`` writes the child's lines, returns its code."""
        self.expand(command)
        self.tsm('Command line for extension .exe is "%1" %*', 0, "commandline.cpp:229")
        self.tsm(f"Set command line: {command}", 0, "commandline.cpp:707")
        self.tsm(f"Start executing the command line: {command}", 1, "instruction.cxx:3010")
        self.tsm(RULE, 1, "instruction.cxx:3017")
        self.expand("WinPEandFullOS")
        self.tsm(f"Executing command line: {command}", 1, "commandline.cpp:827")
        code = body()
        self.tsm(f"Process completed with exit code {code}", 1, "commandline.cpp:1123", (10, 60))
        self.tsm(RULE, 1, "instruction.cxx:3048")
        return code

    def status(self, message_id: str) -> None:
        self.tsm("Sending status message . . .", 1, "utility.cxx:292", (5, 40))
        self.tsm(f"Send a task execution status message {message_id}", 1, "utility.cxx:300")
        self.tsm(
            f"MP server {self.site.mp} and port 80. SSL=false. CRL=false.", 1, "utility.cxx:310"
        )
        self.tsm(f"Site code: {self.site.code}", 1, "utility.cxx:311")
        self.tsm(f"Client machine name: {self.host}", 1, "utility.cxx:312")
        self.tsm(f"Client Identity: {self.guid}", 1, "utility.cxx:313")
        self.tsm(f"Advertisement ID: {self.adv}", 1, "utility.cxx:314")
        self.tsm(f"Package ID: {self.pkg}", 1, "utility.cxx:315")
        self.tsm("Sending StatusMessage", 1, "utility.cxx:1070", (30, 240))

    def succeeded(self, name: str) -> None:
        self.tsm(
            f"Successfully completed the action ({name}) with the exit win32 code 0",
            1,
            "instruction.cxx:3079",
            (5, 40),
        )
        self.status("SMS_TSExecution_ActionCompleteInfo")
        self.var("_SMSTSLastActionRetCode", "0")
        self.var("_SMSTSLastActionSucceeded", "true")
        self.tsm("Clear local default environment", 0, "executionenv.cxx:809")
        self.tsm("Save the current environment block", 0, "executionenv.cxx:833")

    def failed(
        self, name: str, group: str, code: int, text: str, source_kind: str = "Windows"
    ) -> None:
        """A step that fails and takes its group (without continue-on-error) down with it."""
        self.tsm(
            f"Failed to run the action: {name}.\n{text} (Error: {code:08X}; Source: {source_kind})",
            3,
            "instruction.cxx:3101",
            (5, 40),
        )
        self.status("SMS_TSExecution_ActionFailError")
        signed = code - (1 << 32) if code >= 1 << 31 else code
        self.var("_SMSTSLastActionRetCode", str(signed))
        self.var("_SMSTSLastActionSucceeded", "false")
        self.tsm("Clear local default environment", 0, "executionenv.cxx:809")
        self.tsm(
            f"Let the parent group ({group}) decides whether to continue execution",
            0,
            "engine.cxx:259",
        )
        self.tsm(
            f"The execution of the group ({group}) has failed and the execution has been aborted. "
            "An action failed.\nOperation aborted (Error: 80004004; Source: Windows)",
            3,
            "engine.cxx:233",
        )
        self.tsm(
            f"Failed to run the last action: {name}. Execution of task sequence failed.\n"
            f"{text} (Error: {code:08X}; Source: {source_kind})",
            3,
            "engine.cxx:289",
        )
        self.status("SMS_TSExecution_TaskSequenceFailError")

    def continued(self, name: str, group: str, code: int, text: str) -> None:
        """A step that fails inside a group set to continue on error."""
        self.tsm(
            f"Failed to run the action: {name}.\n{text} (Error: {code:08X}; Source: Windows)",
            3,
            "instruction.cxx:3101",
            (5, 40),
        )
        self.status("SMS_TSExecution_ActionFailError")
        signed = code - (1 << 32) if code >= 1 << 31 else code
        self.var("_SMSTSLastActionRetCode", str(signed))
        self.var("_SMSTSLastActionSucceeded", "false")
        self.tsm("Clear local default environment", 0, "executionenv.cxx:809")
        self.tsm(
            f"Let the parent group ({group}) decides whether to continue execution",
            0,
            "engine.cxx:259",
        )
        self.tsm(
            f"The execution engine ignored the failure of the action ({name}) "
            "and continues execution",
            2,
            "engine.cxx:269",
        )

    def skipped(self, group: str) -> None:
        self.tsm(
            f"The group ({group}) has been skipped because the condition is evaluated to be false",
            1,
            "instruction.cxx:120",
            (20, 80),
        )

    # -- end of a run ----------------------------------------------------------------
    def _cleanup(self, code: int) -> None:
        self.tsm("Cleaning Up.", 1, "tsmanager.cpp:1208")
        self.tsm("Removing Authenticator", 1, "tsmanager.cpp:1209")
        self.tsm("Cleaning up task sequence folder", 1, "utils.cpp:1800", (100, 900))
        self.tsm(
            "Successfully unregistered Task Sequencing Environment COM Interface.",
            1,
            "environmentscope.cpp:490",
        )
        self.progress_ui("unregister")
        self.tsm(f"Exiting with return code 0x{code:08X}", 1, "tsmanager.cpp:1217")
        self.boot(f"Process completed with exit code {code}", 1, "commandline.cpp:1123")
        self.boot(f"Exiting with return code 0x{code:08X}", 1, "tsmbootstrap.cpp:1238")
        self.boot(f"Finalizing logging from process {tid(self.rng)}", 1, "tslogging.cpp:1736")
        logs = self.phase.ccm + r"\Logs"
        self.boot(
            f"Successfully finalized logs to SMS client log directory from {logs}",
            1,
            "tslogging.cpp:1792",
        )

    def end_failed(self) -> None:
        code = 0x80004005
        self.tsm(
            "Execution::enExecutionFail != m_eExecutionResult, HRESULT=80004005 "
            r"(e:\nts_sms_fre\sms\client\tasksequence\tsmanager\tsmanager.cpp,1105)",
            0,
            "tsmanager.cpp:1105",
        )
        self.tsm("Task Sequence Engine failed! Code: enExecutionFail", 3, "tsmanager.cpp:1106")
        self.tsm(STARS, 1, "tsmanager.cpp:1112")
        self.tsm(
            f"Task sequence execution failed with error code {code:08X}", 3, "tsmanager.cpp:1113"
        )
        self._cleanup(code)

    def end_ok(self) -> None:
        self.tsm(
            "The task sequence execution engine successfully completed",
            1,
            "engine.cxx:333",
            (20, 200),
        )
        self.tsm("Task Sequence Engine finished!", 1, "tsmanager.cpp:1100")
        self.tsm("Task sequence completed 0x00000000", 1, "tsmanager.cpp:1101")
        self._cleanup(0)
