"""The demo: a believable Pôle social, loaded idempotently by `relais demo`."""
