"""The demo province: real units and procedures, synthetic responses."""
