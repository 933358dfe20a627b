"""optviz's web layer: translates HTTP to the domain packages and back."""
__version__ = "0.1.0"
