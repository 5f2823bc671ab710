"""The app's service: what the server draws for a request (showroom) and how it is served (serving, zerogpu).
Built on gandemo.core and gandemo.measures; the Gradio tabs (gandemo.ui) sit above it."""
