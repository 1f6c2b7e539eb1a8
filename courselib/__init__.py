"""The small library every lesson shares and students receive: data, checks, timing, plots."""
