"""What the benchmark times: one module per kind of probe."""
