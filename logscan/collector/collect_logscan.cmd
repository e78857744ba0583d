@echo off
rem ==========================================================================
rem logscan evidence collector, for ConfigMgr clients that cannot run logscan
rem (Windows XP, Vista, 7 and WinPE: Python 3.11 does not run there).
rem
rem Needs nothing but what Windows ships: cmd.exe, xcopy, reg.exe, find.
rem Uses robocopy, systeminfo, wmic and tasklist when they are present.
rem No PowerShell. Run it as an administrator so every log can be read.
rem
rem   collect_logscan.cmd [OUTPUT_FOLDER]
rem
rem OUTPUT_FOLDER defaults to "logscan_evidence" next to this script (a share
rem or USB stick works). The evidence lands in OUTPUT_FOLDER\<COMPUTERNAME>\:
rem   manifest.txt        key=value lines: what was found, missing, failed
rem   files\<drive>\...   every CCM log folder, SMSTSLog folder of every task
rem                       sequence phase and the USMT logs in them, copied with
rem                       their rotated generations and sub-folders
rem   *.reg               reg export of the SMS certificate store, the client
rem                       version key (both registry views) and client patches
rem   systeminfo.txt      systeminfo output
rem   hotfixes.txt        wmic qfe list full output (UTF-16)
rem   collector.log       messages of the copy and query tools
rem
rem The script only reads from the machine and only writes inside that
rem folder; it changes nothing on the client. cmd.exe has no zip tool: zip the
rem folder afterwards (Explorer: Send to, Compressed folder) or copy it as it
rem is -- logscan reads folders and zips alike.
rem
rem Exit codes: 0 done, 1 done but some folder could not be copied (see the
rem manifest), 2 the output folder cannot be created.
rem ==========================================================================
setlocal EnableExtensions DisableDelayedExpansion

rem A 32-bit process on 64-bit Windows sees SysWOW64 and the 32-bit registry
rem instead of the real ones: start again in the native 64-bit cmd.exe.
if not defined PROCESSOR_ARCHITEW6432 goto :native
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto :native
"%SystemRoot%\Sysnative\cmd.exe" /d /c ""%~f0" %*"
exit /b %ERRORLEVEL%
:native

set "LS_VERSION=1.0"
set "LS_ERRORS=0"
set "LS_ROOT=%~1"
if not defined LS_ROOT set "LS_ROOT=%~dp0logscan_evidence"
if "%LS_ROOT:~-1%"=="\" set "LS_ROOT=%LS_ROOT:~0,-1%"
set "LS_HOST=%COMPUTERNAME%"
if not defined LS_HOST set "LS_HOST=UNKNOWN-HOST"
set "LS_OUT=%LS_ROOT%\%LS_HOST%"
if not exist "%LS_OUT%\" mkdir "%LS_OUT%" 2>nul
if not exist "%LS_OUT%\" goto :no_output

set "LS_X64="
if /I "%PROCESSOR_ARCHITECTURE%"=="AMD64" set "LS_X64=1"
if /I "%PROCESSOR_ARCHITECTURE%"=="IA64" set "LS_X64=1"
if defined PROCESSOR_ARCHITEW6432 set "LS_X64=1"
set "LS_WINPE=no"
reg query "HKLM\SYSTEM\CurrentControlSet\Control\MiniNT" >nul 2>&1
if not errorlevel 1 set "LS_WINPE=yes"
call :find_tool robocopy.exe LS_ROBOCOPY
call :find_tool systeminfo.exe LS_SYSTEMINFO
call :find_tool wmic.exe LS_WMIC
call :find_tool tasklist.exe LS_TASKLIST

echo logscan collector %LS_VERSION%: collecting into "%LS_OUT%"
> "%LS_OUT%\manifest.txt" echo # logscan collector manifest
> "%LS_OUT%\collector.log" echo logscan collector %LS_VERSION%
set "LS_V=logscan-collector"
call :note collector LS_V
call :note collector_version LS_VERSION
call :note computer_name LS_HOST
set "LS_V=%DATE%"
call :note date LS_V
set "LS_V=%TIME%"
call :note time LS_V
call :note systemroot SystemRoot
call :note processor_architecture PROCESSOR_ARCHITECTURE
call :note processor_architew6432 PROCESSOR_ARCHITEW6432
call :note winpe LS_WINPE
for /f "delims=" %%V in ('ver') do set "LS_V=%%V"
call :note os_ver LS_V
call :regval "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" ProductName os_product_name
call :regval "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" CurrentVersion os_current_version
call :regval "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" CurrentBuildNumber os_build
call :regval "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" CSDVersion os_csd

rem Is a task sequence running right now? (TSManager.exe is its engine.)
set "LS_TS=unknown"
if not defined LS_TASKLIST goto :ts_done
set "LS_TS=no"
"%LS_TASKLIST%" /FI "IMAGENAME eq TSManager.exe" /NH 2>nul | find /I "TSManager.exe" >nul
if not errorlevel 1 set "LS_TS=yes"
:ts_done
call :note ts_running LS_TS

echo Copying client and task-sequence logs...
rem ConfigMgr 2007 client logs (x86, x64), later clients; SMSTSLog sub-folders
rem and rotated generations (*.lo_, smsts-*.log) come along with them.
call :grab "%SystemRoot%\System32\CCM\Logs"
call :grab "%SystemRoot%\SysWOW64\CCM\Logs"
call :grab "%SystemRoot%\CCM\Logs"
rem smsts.log of every task-sequence phase: WinPE before and after formatting,
rem the new OS before the client is installed (any drive), MDT stand-alone.
call :grab "X:\Windows\Temp\SMSTSLog"
call :grab "X:\SMSTSLog"
for %%D in (C D E F G H I J K L M N O P Q R S T U V W X Y Z) do call :probe_drive %%D
call :grab "%SystemRoot%\Temp\SMSTSLog"
if defined TEMP call :grab "%TEMP%\SMSTSLog"

rem USMT logs (ScanState, LoadState, UsmtUtils, progress) in what was copied.
for /f "delims=" %%F in ('dir /b /s /a-d "%LS_OUT%\files\scanstate*.log" "%LS_OUT%\files\loadstate*.log" "%LS_OUT%\files\usmtutils*.log" "%LS_OUT%\files\*progress.log" 2^>nul') do call :note_usmt "%%F"

echo Exporting registry keys...
call :export "HKLM\SOFTWARE\Microsoft\SystemCertificates\SMS" sms_store.reg
call :export "HKLM\SOFTWARE\Microsoft\SMS\Mobile Client" mobile_client.reg
call :export "HKLM\SOFTWARE\Wow6432Node\Microsoft\SMS\Mobile Client" mobile_client_wow6432node.reg
rem /reg:32 and /reg:64 exist in reg.exe of Vista and later only; on XP the
rem explicit Wow6432Node path above already covers the 32-bit view.
if defined LS_X64 call :export "HKLM\SOFTWARE\Microsoft\SMS\Mobile Client" mobile_client_reg32.reg /reg:32
if defined LS_X64 call :export "HKLM\SOFTWARE\Microsoft\SMS\Mobile Client" mobile_client_reg64.reg /reg:64
call :export "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\1FDE90624C4330B46B43553F3BCB9413" client_msi.reg

echo Running systeminfo...
set "LS_V=missing (no systeminfo.exe here, e.g. WinPE or XP Home)"
if not defined LS_SYSTEMINFO goto :systeminfo_done
rem (The exit code is tested right away: in a .cmd file SET resets ERRORLEVEL.)
"%LS_SYSTEMINFO%" < nul > "%LS_OUT%\systeminfo.txt" 2>> "%LS_OUT%\collector.log"
if errorlevel 1 goto :systeminfo_failed
set "LS_V=systeminfo.txt"
goto :systeminfo_done
:systeminfo_failed
set "LS_V=failed (see collector.log)"
:systeminfo_done
call :note systeminfo LS_V

echo Listing hotfixes...
set "LS_V=missing (no wmic.exe here, e.g. WinPE or XP Home)"
if not defined LS_WMIC goto :wmic_done
"%LS_WMIC%" qfe list full /format:list < nul > "%LS_OUT%\hotfixes.txt" 2>> "%LS_OUT%\collector.log"
if not errorlevel 1 goto :wmic_ok
rem Non-English Windows 7 may lack the list format file; "list full" is a list anyway.
"%LS_WMIC%" qfe list full < nul > "%LS_OUT%\hotfixes.txt" 2>> "%LS_OUT%\collector.log"
if not errorlevel 1 goto :wmic_ok
set "LS_V=failed (see collector.log)"
goto :wmic_done
:wmic_ok
set "LS_V=hotfixes.txt"
:wmic_done
call :note hotfixes LS_V

set "LS_V=%TIME%"
call :note end_time LS_V
call :note errors LS_ERRORS
set "LS_V=complete"
call :note status LS_V
echo Done: "%LS_OUT%"
echo Zip that folder or copy it as it is, then run logscan on it.
if not "%LS_ERRORS%"=="0" exit /b 1
exit /b 0

:no_output
echo logscan collector: cannot create the output folder "%LS_OUT%". 1>&2
echo Give a writable folder: collect_logscan.cmd D:\evidence 1>&2
exit /b 2

rem --------------------------------------------------------------------------
rem Subroutines
rem --------------------------------------------------------------------------

:note
rem Append "%1=<value of the variable named %2>" to the manifest. The value is
rem read with delayed expansion so & ( ) ^ ! in paths are written literally.
set "LS_K=%~1"
set "LS_N=%~2"
setlocal EnableDelayedExpansion
>> "!LS_OUT!\manifest.txt" echo(!LS_K!=!%LS_N%!
endlocal
goto :eof

:note_usmt
set "LS_V=%~1"
call :note usmt_log LS_V
goto :eof

:find_tool
rem Set the variable named %2 to the full path of program %1 on the PATH, or
rem leave it undefined.
set "%~2="
for %%X in (%~1) do set "%~2=%%~$PATH:X"
goto :eof

:regval
rem Manifest line %3=<data of value %2 under key %1>, when the value exists.
set "LS_V="
for /f "tokens=2,*" %%A in ('reg query "%~1" /v "%~2" 2^>nul ^| find "REG_"') do set "LS_V=%%B"
if defined LS_V call :note %~3 LS_V
goto :eof

:probe_drive
if exist "%~1:\_SMSTaskSequence\Logs\Smstslog\" call :grab "%~1:\_SMSTaskSequence\Logs\Smstslog"
goto :eof

:grab
rem Copy folder %1 with its sub-folders to files\<drive>\<path> in the output
rem folder, so that copies from different places and phases stay apart.
set "LS_SRC=%~1"
if not exist "%LS_SRC%\" goto :grab_missing
set "LS_REL=%LS_SRC::=%"
rem The same folder can be reached twice (%TEMP% is %SystemRoot%\Temp for
rem SYSTEM, and X:\Windows in WinPE): copy it once.
set "LS_SEEN=%LS_REL: =_%"
set "LS_SEEN=%LS_SEEN:&=_%"
set "LS_SEEN=%LS_SEEN:(=_%"
set "LS_SEEN=%LS_SEEN:)=_%"
if defined LS_SEEN_%LS_SEEN% goto :eof
set "LS_SEEN_%LS_SEEN%=1"
call :note found LS_SRC
if defined LS_ROBOCOPY goto :grab_robocopy
xcopy "%LS_SRC%\*" "%LS_OUT%\files\%LS_REL%\" /E /C /I /H /R /Y /Q >> "%LS_OUT%\collector.log" 2>&1
if errorlevel 2 goto :grab_failed
goto :eof
:grab_robocopy
rem robocopy exit codes below 8 mean success.
"%LS_ROBOCOPY%" "%LS_SRC%" "%LS_OUT%\files\%LS_REL%" /E /R:1 /W:1 /NP /XJ >> "%LS_OUT%\collector.log" 2>&1
if errorlevel 8 goto :grab_failed
goto :eof
:grab_failed
set /a LS_ERRORS+=1
call :note copy_error LS_SRC
goto :eof
:grab_missing
call :note missing LS_SRC
goto :eof

:export
rem reg export of key %1 to file %2 in the output folder; %3 = /reg:32 or /reg:64.
rem reg.exe of Windows XP knows no /y: the old file is deleted first, so the
rem plain form has nothing to ask about when /y is refused.
set "LS_V=%~2|%~1"
if exist "%LS_OUT%\%~2" del /f /q "%LS_OUT%\%~2"
reg export "%~1" "%LS_OUT%\%~2" /y %~3 >nul 2>&1
if not errorlevel 1 goto :export_ok
if not "%~3"=="" goto :export_missing
if exist "%LS_OUT%\%~2" del /f /q "%LS_OUT%\%~2"
reg export "%~1" "%LS_OUT%\%~2" < nul >nul 2>&1
if not errorlevel 1 goto :export_ok
:export_missing
if exist "%LS_OUT%\%~2" del /f /q "%LS_OUT%\%~2"
call :note reg_missing LS_V
goto :eof
:export_ok
call :note reg_export LS_V
goto :eof
