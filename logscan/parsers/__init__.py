"""Parsers for every ConfigMgr/USMT log format, one module per format, and a registry."""
