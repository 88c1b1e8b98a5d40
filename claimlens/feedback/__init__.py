"""The seller's corrections: a feedback store (SQLite or PostgreSQL), a review queue, import and export."""
