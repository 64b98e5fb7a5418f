// Who the page is: the development app's API key and the signed-in user's token. Panels listen for `change` to
// reconnect their streams as the new user.
class Session extends EventTarget {
  apiKey = null;
  token = null;
  userId = null;
  expiresAt = null;

  get signedIn() {
    return this.token !== null;
  }

  update(values) {
    Object.assign(this, values);
    this.dispatchEvent(new Event('change'));
  }
}

export const session = new Session();
