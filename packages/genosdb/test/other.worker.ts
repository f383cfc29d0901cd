// Some other worker of the page: it answers every message with its own marker.
self.addEventListener('message', () => self.postMessage('other worker'))
