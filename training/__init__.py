"""Training, evaluation and the command line: data in, evaluated and versioned models out."""
