/**
 * The investor's inbox (libs/reach): in-app messages, read and marked read; consent per channel (G1) and the one-tap
 * unsubscribe each channel's link carries.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import { ErrorPanel, Loaded, useAction, useLoad, when } from '../ui';
import '../growth.css';
import '../i18n-growth';

type Schemas = components['schemas'];
type Channel = 'in_app' | 'push' | 'sms' | 'wechat';

const Message = ({ message, onRead }: { message: Schemas['InboxItem']; onRead: () => void }) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const action = useAction();
  const unread = message.openedAt === null;
  const markRead = async () => {
    if (
      (await action.run(() => as(api.POST('/me/inbox/{messageId}/read', { params: { path: { messageId: message.messageId } } })))) !==
      undefined
    )
      onRead();
  };
  return (
    <li className={`card message ${unread ? 'unread' : 'read'}`} data-message={message.messageId}>
      <h3>
        <button
          type="button"
          className="link message-title"
          aria-expanded={open}
          onClick={() => {
            setOpen(!open);
            if (!open && unread) void markRead();
          }}
        >
          {message.title}
        </button>{' '}
        <span className={`badge ${unread ? 'bad' : 'ok'} message-state`}>{unread ? t('inbox.unread') : t('inbox.read')}</span>
      </h3>
      <p className="muted">
        {t('inbox.sentAt')} {when(message.sentAt)}
      </p>
      {open && <p className="message-body">{message.body}</p>}
      {unread && !open && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void markRead()}
          aria-label={`${t('inbox.markRead')}: ${message.title}`}
        >
          {t('inbox.markRead')}
        </button>
      )}
      <ErrorPanel error={action.error} />
    </li>
  );
};

const Consents = () => {
  const { t } = useTranslation();
  const consents = useLoad(() => as<Schemas['ConsentsResponse']>(api.GET('/me/reach/consents')), []);
  const action = useAction();
  const [done, setDone] = useState<string>();
  const act = async (call: () => Promise<unknown>, note?: string) => {
    setDone(undefined);
    if ((await action.run(call)) !== undefined) {
      setDone(note);
      consents.reload();
    }
  };
  return (
    <section className="card consents" aria-labelledby="consents-h">
      <h3 id="consents-h">{t('inbox.consentTitle')}</h3>
      <Loaded state={consents}>
        {(c) => (
          <ul className="list">
            {c.channels.map((channel) => {
              const name = t(`campaigns.channels.${channel.channel}`);
              return (
                <li key={channel.channel} className="consent" data-channel={channel.channel}>
                  <strong>{name}</strong>{' '}
                  <span className={`badge ${channel.granted ? 'ok' : 'bad'} consent-state`}>
                    {channel.granted ? t('inbox.granted') : t('inbox.notGranted')}
                  </span>{' '}
                  <span className="muted short">{when(channel.updatedAt)}</span>
                  <div className="actions">
                    {channel.granted ? (
                      <button
                        type="button"
                        disabled={action.busy}
                        onClick={() =>
                          void act(
                            () => as(api.POST('/reach/unsubscribe', { body: { token: channel.unsubscribeToken } })),
                            t('inbox.unsubscribed', { channel: name }),
                          )
                        }
                      >
                        {t('inbox.unsubscribe', { channel: name })}
                      </button>
                    ) : (
                      <button
                        type="button"
                        disabled={action.busy}
                        onClick={() =>
                          void act(() =>
                            as(
                              api.PUT('/me/reach/consents/{channel}', {
                                params: { path: { channel: channel.channel as Channel } },
                                body: { granted: true },
                              }),
                            ),
                          )
                        }
                      >
                        {t('inbox.optIn', { channel: name })}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
      {done && (
        <p role="status" className="badge ok">
          {done}
        </p>
      )}
      <ErrorPanel error={action.error} />
    </section>
  );
};

export default function Inbox() {
  const { t } = useTranslation();
  const inbox = useLoad(() => as<Schemas['InboxResponse']>(api.GET('/me/inbox', { params: { query: {} } })), []);
  return (
    <section aria-labelledby="inbox-h" className="inbox">
      <h2 id="inbox-h">{t('inbox.title')}</h2>
      <Loaded state={inbox} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <ul className="list messages">
            {d.items.map((message) => (
              <Message key={message.messageId} message={message} onRead={inbox.reload} />
            ))}
          </ul>
        )}
      </Loaded>
      <Consents />
    </section>
  );
}
