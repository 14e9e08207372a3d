"""The reminder crash test: dispatcher processes killed with SIGKILL on PostgreSQL."""
