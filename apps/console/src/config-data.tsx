import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api';
import type { Buyer, Campaign, Channel, Supplier, Tree } from './domain';

/** The business configuration the pages name things by; reloaded after every save. */
export interface ConfigData {
  buyers: Buyer[];
  channels: Channel[];
  trees: Tree[];
  campaigns: Campaign[];
  suppliers: Supplier[];
  loaded: boolean;
  reload(): Promise<void>;
  channelName(id: string | null | undefined): string;
  buyerOf(channelId: string | null | undefined): Buyer | undefined;
}

const empty: ConfigData = {
  buyers: [],
  channels: [],
  trees: [],
  campaigns: [],
  suppliers: [],
  loaded: false,
  reload: async () => {},
  channelName: (id) => id ?? '',
  buyerOf: () => undefined,
};

const Context = createContext<ConfigData>(empty);

export function useConfigData(): ConfigData {
  return useContext(Context);
}

export function ConfigDataProvider({ children }: { children: ReactNode }) {
  const [data, setData] = useState<Omit<ConfigData, 'reload' | 'channelName' | 'buyerOf'>>(empty);
  const reload = useCallback(async () => {
    const [buyers, channels, trees, campaigns, suppliers] = await Promise.all([
      api<{ items: Buyer[] }>('/v1/admin/buyers'),
      api<{ items: Channel[] }>('/v1/admin/channels'),
      api<{ items: Tree[] }>('/v1/admin/trees'),
      api<{ items: Campaign[] }>('/v1/admin/campaigns'),
      api<{ items: Supplier[] }>('/v1/admin/suppliers'),
    ]);
    setData({
      buyers: buyers.items,
      channels: channels.items,
      trees: trees.items,
      campaigns: campaigns.items,
      suppliers: suppliers.items,
      loaded: true,
    });
  }, []);
  useEffect(() => {
    reload().catch(() => undefined);
  }, [reload]);
  const channelName = (id: string | null | undefined) =>
    id ? (data.channels.find((c) => c.id === id)?.name ?? id.slice(0, 8)) : '';
  const buyerOf = (channelId: string | null | undefined) => {
    const channel = data.channels.find((c) => c.id === channelId);
    return channel ? data.buyers.find((b) => b.id === channel.buyerId) : undefined;
  };
  return <Context.Provider value={{ ...data, reload, channelName, buyerOf }}>{children}</Context.Provider>;
}
