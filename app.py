"""The gandemo Gradio app (placeholder until the app lands): see README.md."""

if __name__ == "__main__":
    raise SystemExit("The app is not built yet; see README.md for the library and training commands.")
