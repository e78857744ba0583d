"""Guided repair of the KB977203 certificate defect: plan, confirm, back up, run, verify, audit.

Entry points: ``plan.build_plan`` turns a read store, a verdict and the interlock inputs
into a frozen ``RepairPlan`` (nothing runs); ``flow.execute`` carries a plan out only
with ``apply=True`` and a confirmation, backs the store up first, runs CCMCertFix.exe
through a ``runner`` seam (or rewrites the names natively, or writes a corrected copy of
an exported store), reads the store again and appends every step to the audit log.
Windows, subprocesses, the clock and the store all sit behind Protocols with twins;
nothing heavy (pefile, ctypes, cryptography) is imported here.
"""

from __future__ import annotations
