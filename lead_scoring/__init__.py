"""Warehouse-native lead scoring: the Python around the dbt project (build, checks, data)."""
