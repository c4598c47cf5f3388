/**
 * The local chat page: a phone-sized chat that talks to the simulator API, shows menus as buttons and keeps
 * its conversation id in the browser, so a reload continues the same conversation.
 */
export const simulatorPage = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loa – trò chuyện thử</title>
<style>
  body { margin: 0; font: 16px/1.4 system-ui, sans-serif; background: #eef1f5; }
  main { max-width: 420px; margin: 0 auto; height: 100vh; display: flex; flex-direction: column; background: #fff; }
  header { padding: 12px 16px; background: #2b5797; color: #fff; display: flex; justify-content: space-between; align-items: center; }
  header button { background: transparent; color: #fff; border: 1px solid #fff; border-radius: 6px; padding: 4px 8px; }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .bubble { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; }
  .bot { background: #f0f2f5; align-self: flex-start; }
  .me { background: #2b5797; color: #fff; align-self: flex-end; }
  .options { display: flex; flex-direction: column; gap: 6px; margin-top: 8px; }
  .options button { text-align: left; padding: 8px 10px; border-radius: 10px; border: 1px solid #2b5797; background: #fff; color: #2b5797; font-size: 15px; }
  form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #ddd; }
  input { flex: 1; padding: 10px; font-size: 16px; border: 1px solid #bbb; border-radius: 20px; }
  form button { padding: 0 16px; border-radius: 20px; border: 0; background: #2b5797; color: #fff; font-size: 16px; }
</style>
</head>
<body>
<main>
  <header><strong>Loa</strong><button id="restart" type="button">Cuộc trò chuyện mới</button></header>
  <div id="log" aria-live="polite"></div>
  <form id="send"><input id="text" autocomplete="off" placeholder="Nhập tin nhắn…" aria-label="Tin nhắn"><button>Gửi</button></form>
</main>
<script>
  const log = document.getElementById("log");
  const text = document.getElementById("text");
  let conversationId = localStorage.getItem("loa-conversation") || newId();
  let after = 0;
  function newId() {
    const id = "web-" + Math.random().toString(36).slice(2, 12);
    localStorage.setItem("loa-conversation", id);
    return id;
  }
  function bubble(kind, content) {
    const div = document.createElement("div");
    div.className = "bubble " + kind;
    div.textContent = content;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }
  async function send(body) {
    await fetch("/chat/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ conversationId, ...body }) });
    poll();
  }
  async function poll() {
    const response = await fetch("/chat/api/messages?conversationId=" + conversationId + "&after=" + after);
    if (!response.ok) return;
    const { messages } = await response.json();
    for (const message of messages) {
      // Polls overlap (the timer and the one after a send ask with the same "after"): show each message once.
      if (message.id <= after) continue;
      after = message.id;
      for (const item of message.media || []) {
        const holder = bubble("bot", "");
        const element = document.createElement(item.kind === "voice" ? "audio" : "img");
        element.src = item.url;
        if (item.kind === "voice") element.controls = true;
        else element.alt = "";
        holder.appendChild(element);
      }
      const div = bubble("bot", message.text);
      if (message.options && message.options.length > 0) {
        const box = document.createElement("div");
        box.className = "options";
        message.options.forEach((option, index) => {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = (index + 1) + ". " + option.label;
          button.onclick = () => { bubble("me", option.label); send({ choice: { optionId: option.id, nodeId: message.nodeId } }); };
          box.appendChild(button);
        });
        div.appendChild(box);
        log.scrollTop = log.scrollHeight;
      }
    }
  }
  document.getElementById("send").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    bubble("me", value);
    text.value = "";
    send({ text: value });
  });
  document.getElementById("restart").onclick = () => { conversationId = newId(); after = 0; log.innerHTML = ""; };
  setInterval(poll, 700);
  poll();
</script>
</body>
</html>
`;
