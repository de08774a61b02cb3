// « Ecouter l'extrait sonore »: play the CAPTCHA's sound in place rather than open it in another
// page. Delegated from the document, so that it still works once htmx has swapped in a new image
// (« Changer l'image »), and loaded once whatever the number of swaps.
(function () {
  if (window.portalCaptchaAudio) { return; }
  window.portalCaptchaAudio = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-captcha-audio]");
    if (!link) { return; }
    var group = link.closest(".fr-input-group") || document;
    var player = group.querySelector("audio[data-captcha-player]");
    if (!player) { return; }
    event.preventDefault();
    if (player.getAttribute("src") !== link.getAttribute("href")) {
      player.setAttribute("src", link.getAttribute("href"));
    }
    player.currentTime = 0;
    player.play();
  });
})();
