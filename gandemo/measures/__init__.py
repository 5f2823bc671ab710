"""What a trained model is measured by: scores against real digits, latent directions, the digit map; and a
drawing made into an MNIST digit for the classifier to read (probe).
Built on gandemo.core alone."""
