"""Inputs that are not plain templates: each turns its input into the model plus the places the user edits."""
