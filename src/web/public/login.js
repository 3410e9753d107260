/* global document */
// Opening a sign-in link signs in at once; without JavaScript the button does the same.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('login');
  if (form) form.submit();
});
