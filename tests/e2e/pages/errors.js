// Application code that fails: ten orders throw the same error with different values, and a
// payment call rejects without a handler.
function checkout(order) {
  throw new TypeError(`Order ${order} failed for 'ann'`);
}

window.failOrders = () => {
  for (let order = 1; order <= 10; order++) setTimeout(() => checkout(order), 0);
  Promise.reject(new Error('payment service unavailable'));
};
