"""Reporters: adapters that turn result records into bytes. No reporter re-derives findings."""
