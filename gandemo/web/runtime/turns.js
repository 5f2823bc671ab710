// Long work in the page's thread gives the page its turn between pieces (input, paint, messages), so a visitor's
// click or upload is answered while it runs.

/** Resolves on the page's next turn: a message to itself, so input and paint run first, and unlike a timer it is
 * not held back to once a second in a tab in the background. */
export function nextTurn() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (channel.port1.close(), resolve(undefined));
    channel.port2.postMessage(null);
  });
}
