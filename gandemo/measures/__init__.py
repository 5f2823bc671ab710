"""What a trained model is measured by: scores against real digits, latent directions, the digit map.
Built on gandemo.core alone."""
