"""Relais: the trainer cascade and the GISR social-hub desk of Morocco's Pôle social."""
