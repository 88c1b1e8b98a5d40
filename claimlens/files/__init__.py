"""Files in and out: one place that reads input files and one that writes files durably."""
