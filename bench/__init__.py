"""`make bench`: wall time, API calls, state size and import cost of the provider against their floors.

Kept free of imports: the floor's Pulumi program imports `bench.floor`, and anything imported here
would count against the engine's floor.
"""
