"""Batch labelling of message exports: sources, engines, sinks, summary and report."""
