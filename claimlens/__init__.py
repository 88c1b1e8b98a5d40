"""claimlens: label buyer claims and messages, with the buyer's words as evidence."""
