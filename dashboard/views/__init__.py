"""Page-specific pure view helpers: data in, components and figures out (tested without a browser)."""
