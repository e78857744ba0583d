"""Command-line interface (click): stdout carries results, stderr diagnostics."""
