"""The findings that open each report section: plain sentences generated from computed
frames, one module per report. Every text comes from ``labels.yaml``."""
