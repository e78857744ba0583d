"""The SMS certificate store: readers (live, .reg, SST, hive, JSON, certutil) and checks.

Entry points: ``source.sources_for(path)`` / ``source.live()`` give ``CertSource``s whose
``read()`` returns a ``model.CertReadResult``; ``checks.check_result`` turns one into
``CertFinding``s. Nothing heavy is imported here (cryptography, regipy and ctypes load only
where used).
"""

from __future__ import annotations
