"""Hotline: the operations platform of a telecom customer-service center."""
