"""Files in and out: `tables` reads input files (formats, encodings, row-numbered errors), `durable` writes files whole or not at all."""
