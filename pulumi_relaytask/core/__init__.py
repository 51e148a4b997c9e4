"""The cloud-independent core: clock, time format, models, field rules, diff, provider, HTTP.

Nothing here imports `pulumi.dynamic`: the dynamic provider is one shell over this core.
"""
