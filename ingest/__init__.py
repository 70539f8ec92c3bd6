"""Markdown parsing and lesson extraction for Hindsight."""
