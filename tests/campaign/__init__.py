"""The permanent randomized campaign of issue 14: generators, an independent reference, a runner."""
